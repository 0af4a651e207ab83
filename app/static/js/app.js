// Progressive enhancements only: every page works without this file.
// data-confirm on a form, or on the one of its buttons that asks for confirming.
document.addEventListener("submit", (event) => {
  const message = event.submitter?.dataset.confirm || event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.dataset.selectAll) {
    document.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`).forEach((other) => {
      if (!other.closest("[hidden]")) other.checked = box.checked;
    });
  }
});
