// The timeout warning: before an idle session ends, a dialog offers to stay signed in.
// Only with JavaScript: without it the session ends and the sign-in page says why.
// Timings come from the server (SESSION_COOKIE_AGE, SESSION_WARNING_SECONDS).
const dialog = document.getElementById("app-timeout-warning");

function spoken(seconds) {
  // Whole minutes once it is over a minute; seconds in the last minute.
  if (seconds > 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

if (dialog && typeof dialog.showModal === "function") {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Math.min(Number(dialog.dataset.warningSeconds) * 1000, idle);
  const countdown = dialog.querySelector(".app-timeout-warning__countdown");
  const form = dialog.querySelector(".app-timeout-warning__form");
  let warnTimer;
  let tick;
  let endsAt;

  // Signed out for being idle: the sign-out is the server's (audited), then the sign-in
  // page says why and comes back here.
  const signOut = () => {
    const leave = document.getElementById("app-timeout-warning-sign-out");
    const here = window.location.pathname + window.location.search;
    leave.elements.next.value += `&next=${encodeURIComponent(here)}`;
    leave.submit();
  };

  const show = () => {
    dialog.showModal();
    const update = () => {
      const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      countdown.textContent = spoken(left);
      if (left === 0) {
        clearInterval(tick);
        signOut();
      }
    };
    update();
    tick = setInterval(update, 1000);
  };

  // The server's session ends `idle` after this page was rendered (the time left since
  // its last renewal) or after the last "Stay signed in", a moment before this count began: sign out a little early, so
  // the sign-out is the person's own (audited) and not a session that already ended.
  const early = Math.min(10000, warning / 2);

  const start = () => {
    clearTimeout(warnTimer);
    clearInterval(tick);
    endsAt = Date.now() + idle - early;
    warnTimer = setTimeout(show, idle - warning - early);
  };

  form.addEventListener("submit", async (event) => {
    if (event.submitter && event.submitter.getAttribute("form")) return; // "Sign out"
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.status === 204) {
      dialog.close();
      start();
    } else {
      signOut(); // the session had already ended
    }
  });
  // Escape closes a modal dialog: that is staying, so renew the session as the button does.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    form.requestSubmit();
  });
  // A request the page made itself (the meeting's autosave) renewed the session too.
  document.addEventListener("app:session-renewed", () => {
    if (!dialog.open) start();
  });
  start();
}
