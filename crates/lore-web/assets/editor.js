// Lore course editor.
// - Autosave: every field of the draft saves itself (800 ms after typing stops, and when
//   the field is left), one save at a time, with a visible and announced state; a refused
//   save stays "not saved" with the reason and a Retry button.
// - Publish (and any other form on the page) first waits for every pending save; Publish
//   is held back while a change is not saved.
// - Leaving the page with a change pending or refused asks first.
// - Drag a step by its handle to reorder the steps (keyboard and no-script users have the
//   Up/Down buttons, which do the same on the server).
// - The new-course form: "Add a step" adds a step's title and text.
// Without this script every form still submits normally (the Save buttons show then).
(function () {
  "use strict";
  var DEBOUNCE_MS = 800;
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = tokenMeta ? tokenMeta.getAttribute("content") : "";

  // ---- Autosave -------------------------------------------------------------------------
  var pending = new Map(); // element (field or whole form) -> debounce timer
  var failed = new Map(); // element -> why it was not saved
  var queued = 0; // saves queued or running
  var chain = Promise.resolve();
  var reloadWanted = false;
  var stateEl = null;
  var retryButton = null;

  function dirty() {
    return pending.size > 0 || queued > 0 || failed.size > 0;
  }

  function refresh() {
    document.documentElement.setAttribute("data-unsaved", dirty() ? "true" : "false");
    if (!stateEl) return;
    var state, text;
    if (failed.size > 0) {
      state = "failed";
      text = "Not saved — " + failed.values().next().value + " Fix it, or retry.";
    } else if (queued > 0 || pending.size > 0) {
      state = "saving";
      text = "Saving…";
    } else {
      state = "saved";
      text = "All changes saved.";
    }
    if (stateEl.getAttribute("data-state") !== state || stateEl.textContent !== text) {
      stateEl.setAttribute("data-state", state);
      stateEl.textContent = text;
    }
    if (retryButton) retryButton.hidden = failed.size === 0;
  }

  function formOf(el) {
    return el.tagName === "FORM" ? el : el.form;
  }

  function formStatus(form, state, text) {
    var s = form && form.querySelector("[data-form-status]");
    if (!s) return;
    s.setAttribute("data-state", state);
    s.textContent = text;
  }

  function valueOf(el) {
    if (el.type === "checkbox") return el.checked ? "1" : "";
    return el.value;
  }

  function markSaved(el) {
    failed.delete(el);
    if (el.tagName !== "FORM") el.removeAttribute("aria-invalid");
    formStatus(formOf(el), "saved", "Saved");
  }

  function markFailed(el, message) {
    failed.set(el, message);
    if (el.tagName !== "FORM") el.setAttribute("aria-invalid", "true");
    formStatus(formOf(el), "failed", "Not saved: " + message);
  }

  // One field through the autosave endpoint; the answer carries the form's next revision.
  function saveField(el) {
    var form = el.form;
    var revision = form.querySelector('input[name="revision"]');
    var body = new URLSearchParams();
    body.set("field", el.getAttribute("data-field"));
    if (form.hasAttribute("data-step")) body.set("step_id", form.getAttribute("data-step"));
    body.set("revision", revision ? revision.value : "");
    body.set("value", valueOf(el));
    return fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "X-CSRF-Token": csrf
      },
      body: body.toString()
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok && typeof data.revision === "number") {
          if (revision) revision.value = String(data.revision);
          markSaved(el);
          if (el.hasAttribute("data-reload-after-save")) reloadWanted = true;
        } else {
          markFailed(el, (data.error && data.error.message) || "the server refused the change.");
        }
      });
    });
  }

  // A whole form (evaluation settings, audience) posted as it would be without script;
  // its success is a redirect, its refusal the editor page with the reason in an alert.
  function saveForm(form) {
    return fetch(form.getAttribute("action"), {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (r) {
      if (r.type === "opaqueredirect" || (r.status >= 200 && r.status < 400)) {
        markSaved(form);
        return;
      }
      return r.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var alert = doc.querySelector('main [role="alert"]');
        markFailed(form, alert ? alert.textContent.trim() : "the server refused the change.");
      });
    });
  }

  function enqueue(el) {
    queued += 1;
    refresh();
    chain = chain
      .then(function () {
        return el.tagName === "FORM" ? saveForm(el) : saveField(el);
      })
      .catch(function () {
        markFailed(el, "the connection dropped.");
      })
      .then(function () {
        queued -= 1;
        refresh();
        if (reloadWanted && !dirty()) window.location.reload();
      });
    return chain;
  }

  function schedule(el) {
    clearTimeout(pending.get(el));
    pending.set(el, setTimeout(function () {
      pending.delete(el);
      enqueue(el);
    }, DEBOUNCE_MS));
    formStatus(formOf(el), "pending", "Saving…");
    refresh();
  }

  function saveNow(el) {
    clearTimeout(pending.get(el));
    pending.delete(el);
    enqueue(el);
  }

  // Save everything pending at once; resolves to true when nothing is left unsaved.
  function flush() {
    Array.from(pending.keys()).forEach(saveNow);
    return chain.then(function () { return failed.size === 0; });
  }

  function retry() {
    Array.from(failed.keys()).forEach(saveNow);
  }

  // The checklist beside Publish follows the fields it is about as they are typed.
  function updateChecklist(el) {
    var check = { summary: "summary", tags: "topics", estimated_minutes: "time" }[el.getAttribute("data-field")];
    var item = check && document.querySelector('[data-check="' + check + '"]');
    if (!item) return;
    var done = el.value.trim() !== "";
    item.setAttribute("data-done", done ? "true" : "false");
    var mark = item.querySelector(".check-mark");
    if (mark) mark.textContent = done ? "✓" : "!";
    var said = item.querySelector(".check-state");
    if (said) said.textContent = done ? "(done)" : "(not yet)";
    var hint = item.querySelector(".check-hint");
    if (hint) hint.hidden = done;
  }

  // Submit a form once every save is done; `hold` keeps it back when one was refused.
  function submitAfterSaves(form, submitter, hold) {
    if (submitter) submitter.disabled = true;
    var blocked = form.parentNode.querySelector("[data-publish-blocked]");
    if (blocked) blocked.hidden = true;
    return flush().then(function (ok) {
      if (!ok && hold) {
        if (submitter) submitter.disabled = false;
        if (blocked) {
          blocked.textContent = "Not published: a change above is not saved (" +
            failed.values().next().value + "). Fix it or retry, then publish.";
          blocked.hidden = false;
          blocked.scrollIntoView({ block: "center" });
        }
        return;
      }
      // A submitter's name and value (e.g. action=publish) go with the form, as a click would send them.
      if (submitter && submitter.name) {
        var carry = document.createElement("input");
        carry.type = "hidden";
        carry.name = submitter.name;
        carry.value = submitter.value;
        form.appendChild(carry);
      }
      form.submit();
    });
  }

  function initAutosave() {
    var forms = document.querySelectorAll("form[data-autosave], form[data-autosave-form]");
    if (forms.length === 0) return;
    stateEl = document.getElementById("save-state");
    retryButton = document.querySelector("[data-save-retry]");
    if (retryButton) retryButton.addEventListener("click", retry);
    document.querySelectorAll("[data-autosave-fallback]").forEach(function (b) { b.hidden = true; });

    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      form.addEventListener("input", function (e) {
        var el = e.target;
        if (!el.hasAttribute || !el.hasAttribute("data-field")) return;
        updateChecklist(el);
        if (el.tagName === "SELECT" || el.type === "checkbox") return; // saved on change
        schedule(el);
      });
      form.addEventListener("change", function (e) {
        var el = e.target;
        if (!el.hasAttribute || !el.hasAttribute("data-field")) return;
        if (el.tagName === "SELECT" || el.type === "checkbox" || pending.has(el)) saveNow(el);
      });
      form.addEventListener("focusout", function (e) {
        if (pending.has(e.target)) saveNow(e.target);
      });
      // Enter in a field: save now instead of reloading the page.
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        form.querySelectorAll("[data-field]").forEach(function (el) {
          if (pending.has(el)) saveNow(el);
        });
      });
    });

    document.querySelectorAll("form[data-autosave-form]").forEach(function (form) {
      form.addEventListener("change", function () { saveNow(form); });
      form.addEventListener("input", function (e) {
        if (e.target.type === "text" || e.target.tagName === "TEXTAREA" || e.target.inputMode) schedule(form);
      });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        saveNow(form);
      });
    });

    // Every other form on the page (Publish, add a step, uploads, …) waits for the saves.
    document.querySelectorAll("form:not([data-autosave]):not([data-autosave-form])").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!dirty()) return;
        e.preventDefault();
        submitAfterSaves(form, e.submitter, form.hasAttribute("data-publish"));
      });
    });

    window.addEventListener("beforeunload", function (e) {
      if (!dirty()) return undefined;
      e.preventDefault();
      e.returnValue = "";
      return "";
    });
    refresh();
  }

  // ---- Reordering by drag ---------------------------------------------------------------
  function initReorder() {
    var list = document.querySelector("[data-step-list]");
    if (!list) return;
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
      flush().then(function () {
        return fetch(list.getAttribute("data-order-url"), {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRF-Token": csrf
          },
          body: "order=" + encodeURIComponent(ids.join(","))
        });
      }).then(function () { window.location.reload(); });
    });
  }

  // ---- New course: add steps --------------------------------------------------------------
  function initNewSteps() {
    var box = document.querySelector("[data-new-steps]");
    if (!box) return;
    var add = box.querySelector("[data-add-step]");
    if (!add) return;
    // Without script the form offers spare slots; with it, "Add a step" adds them one by one.
    box.querySelectorAll("[data-spare-step]").forEach(function (slot) { slot.remove(); });
    add.hidden = false;
    add.addEventListener("click", function () {
      var n = box.querySelectorAll("[data-new-step]").length + 1;
      var slot = document.createElement("div");
      slot.className = "new-step stack";
      slot.setAttribute("data-new-step", "");
      [["step_title", "input", "Step " + n + " title"], ["step_body", "textarea", "Step " + n + " text (Markdown)"]].forEach(function (f) {
        var field = document.createElement("div");
        field.className = "field";
        var label = document.createElement("label");
        var input = document.createElement(f[1]);
        input.id = f[0] + "_" + n;
        input.name = f[0];
        if (f[1] === "input") input.maxLength = 150;
        else input.rows = 6;
        label.htmlFor = input.id;
        label.textContent = f[2];
        field.appendChild(label);
        field.appendChild(input);
        slot.appendChild(field);
      });
      box.insertBefore(slot, add);
      slot.querySelector("input").focus();
    });
  }

  function init() {
    initAutosave();
    initReorder();
    initNewSteps();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// The GIFT check: "Add the N chosen questions" counts the ticks as they change ("question"
// for one).
(function () {
  "use strict";
  var form = document.querySelector("[data-gift-check]");
  if (!form) return;
  var count = form.querySelector("[data-gift-count]");
  var noun = form.querySelector("[data-gift-noun]");
  var add = form.querySelector("[data-gift-add]");
  function update() {
    var n = form.querySelectorAll("[data-gift-tick]:checked").length;
    if (count) count.textContent = String(n);
    if (noun) noun.textContent = n === 1 ? noun.dataset.one : noun.dataset.many;
    if (add) add.disabled = n === 0;
  }
  form.addEventListener("change", update);
  update();
})();
