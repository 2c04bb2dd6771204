// Lore course editor: drag a step by its handle to reorder the steps.
// Keyboard and no-script users have the Up/Down buttons, which do the same on the server.
(function () {
  "use strict";
  function init() {
    var list = document.querySelector("[data-step-list]");
    if (!list) return;
    var token = document.querySelector('meta[name="csrf-token"]');
    var dragged = null;
    list.querySelectorAll(".drag-handle").forEach(function (handle) {
      var step = handle.closest(".editor-step");
      handle.addEventListener("mousedown", function () { step.draggable = true; });
      handle.addEventListener("mouseup", function () { step.draggable = false; });
      step.addEventListener("dragstart", function (e) {
        dragged = step;
        step.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
      });
      step.addEventListener("dragend", function () {
        step.draggable = false;
        step.classList.remove("dragging");
      });
      step.addEventListener("dragover", function (e) {
        if (!dragged || dragged === step) return;
        e.preventDefault();
        var box = step.getBoundingClientRect();
        var after = e.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? step.nextSibling : step);
      });
    });
    list.addEventListener("drop", function (e) {
      if (!dragged) return;
      e.preventDefault();
      dragged = null;
      var ids = Array.prototype.map.call(list.querySelectorAll(".editor-step"), function (s) {
        return s.getAttribute("data-step-id");
      });
      fetch(list.getAttribute("data-order-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRF-Token": token ? token.getAttribute("content") : ""
        },
        body: "order=" + encodeURIComponent(ids.join(","))
      }).then(function () { window.location.reload(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
