// Progressive enhancements only: every page works without this file.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.dataset.selectAll) {
    document.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`).forEach((other) => {
      if (!other.closest("[hidden]")) other.checked = box.checked;
    });
  }
});
