// Saves a family's record as you type in a tracking meeting (the page works without it:
// every Save button saves every family). Only the family's own boxes are sent, with the
// version the page was shown with, so two members typing at once are never silently
// overwritten: the server refuses a stale save and the page says so.
const form = document.querySelector("form[data-app-autosave]");
if (form) {
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const timers = new Map();
  const save = async (section) => {
    const prefix = section.dataset.prefix;
    const status = section.querySelector("[data-app-save-status]");
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("autosave", section.dataset.discussion);
    for (const field of section.querySelectorAll("[data-app-autosaved] [name], [name$='-version']")) {
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) continue;
      body.append(field.name, field.value);
    }
    status.textContent = "Saving…";
    try {
      const response = await fetch(form.action || window.location.pathname, {
        method: "POST", body, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
      });
      const result = await response.json();
      // Any answer from the server renewed the session: the timeout warning starts again.
      document.dispatchEvent(new CustomEvent("app:session-renewed"));
      if (result.saved) {
        section.querySelector(`[name='${prefix}-version']`).value = result.version;
        status.textContent = `Saved at ${result.time}`;
      } else {
        status.textContent = result.message;
      }
    } catch (error) {
      status.textContent = "Not saved automatically: use the Save button";
    }
  };
  for (const section of form.querySelectorAll("section[data-discussion]")) {
    section.addEventListener("input", (event) => {
      if (!event.target.closest("[data-app-autosaved]")) return;
      clearTimeout(timers.get(section));
      timers.set(section, setTimeout(() => save(section), 1500));
    });
  }
}
