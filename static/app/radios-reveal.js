// Radios that reveal a question when one is chosen (the visit form's "Earlier today or
// another day" reveals the date and time), as GOV.UK Frontend's conditional reveal but
// without the aria-expanded it puts on the radio, which ARIA does not allow there (axe
// fails the page; alphagov/govuk-frontend#979). Every page works without this: the
// revealed questions are then always shown, and used only for their choice.
for (const input of document.querySelectorAll("input[type=radio][data-app-reveal]")) {
  const panel = document.getElementById(input.dataset.appReveal);
  if (!panel) continue;
  const sync = () => panel.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
  for (const radio of document.getElementsByName(input.name)) {
    radio.addEventListener("change", sync);
  }
  window.addEventListener("pageshow", sync);
  sync();
}
