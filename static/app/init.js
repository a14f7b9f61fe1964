// Starts GOV.UK Frontend's components. Every page works without this.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import "/static/app/timeout-warning.js";

initAll();

// Lists' filters are a <details>, closed on phones; on wider screens, open them.
if (window.matchMedia("(min-width: 48.0625em)").matches) {
  for (const details of document.querySelectorAll("details[data-app-open-on-desktop]")) {
    details.open = true;
  }
}
