// Lore: the header's menu on narrow screens. The button opens and closes the navigation and
// says so in aria-expanded; Escape closes it and gives focus back to the button. Without
// JavaScript the button stays hidden and the whole navigation shows, as it does on a laptop.
// Loaded right after the header (not deferred), so a phone never paints the open menu first.
(function () {
  "use strict";
  var toggle = document.querySelector("[data-testid=menu-toggle]");
  var header = toggle && toggle.closest(".site-header");
  if (!header) {
    return;
  }

  function set(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  }

  header.classList.add("has-menu");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    set(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      set(false);
      toggle.focus();
    }
  });
  // Coming back through the back/forward cache shows the page as it was left: closed.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      set(false);
    }
  });
})();
