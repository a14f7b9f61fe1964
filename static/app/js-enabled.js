// Runs first in <body>: lets GOV.UK Frontend style components for JavaScript.
// (An external file, because the Content Security Policy forbids inline scripts.)
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
