// The "Meny" button on a phone and the menu under the person's name: buttons that open and close what they control
// (aria-expanded). Loaded right after the menus, before the page shows. Without it both menus stay open as plain
// lists of links.
(() => {
  const buttons = [...document.querySelectorAll("button[data-toggles]")];
  const panel = (button) => document.getElementById(button.dataset.toggles);
  const isOpen = (button) => button.getAttribute("aria-expanded") === "true";
  const set = (button, open) => {
    button.setAttribute("aria-expanded", String(open));
    panel(button).classList.toggle("closed", !open);
  };
  buttons.forEach((button) => {
    button.hidden = false;
    set(button, false);
    button.addEventListener("click", () => set(button, !isOpen(button)));
  });
  // Escape closes an open menu (focus goes back to its button if it was inside); so does a click elsewhere.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    buttons.filter(isOpen).forEach((button) => {
      const inside = panel(button).contains(document.activeElement);
      set(button, false);
      if (inside) button.focus();
    });
  });
  document.addEventListener("click", (event) => {
    buttons.filter(isOpen).forEach((button) => {
      if (!button.contains(event.target) && !panel(button).contains(event.target)) set(button, false);
    });
  });
  // The menu under the name closes when the focus leaves it (Tab past its last item).
  const user = document.querySelector(".user-menu");
  user?.addEventListener("focusout", (event) => {
    if (!user.contains(event.relatedTarget)) set(user.querySelector("button[data-toggles]"), false);
  });
})();
