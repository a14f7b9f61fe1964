// Copy buttons for text to paste into another system (the meeting's case notes). The
// page works without this: the text sits in a read-only box anyone can select. With
// JavaScript each box's Copy button appears, copies the whole text and says so.
const statusOf = (id) => document.querySelector(`[data-app-copy-status="${id}"]`);

const copy = async (box) => {
  try {
    await navigator.clipboard.writeText(box.value);
    return true;
  } catch (error) {
    // No clipboard API (an older browser, or not allowed): select it and ask the browser.
    box.focus();
    box.select();
    try {
      return document.execCommand("copy");
    } catch (fallbackError) {
      return false;
    }
  }
};

for (const button of document.querySelectorAll("[data-app-copy-button]")) {
  const box = document.getElementById(button.dataset.appCopyButton);
  if (!box) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const status = statusOf(box.id);
    const copied = await copy(box);
    if (status) {
      status.textContent = copied
        ? "Copied. Paste it into the record."
        : "Could not copy: select the text in the box and copy it yourself.";
    }
  });
}
