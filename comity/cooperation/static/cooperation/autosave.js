/* Saving the draft form as the officer types. htmx posts the form after each pause
   (hx-trigger on [data-autosave]); this script
   - sends it to the page's current address (the edit page, once the first save created
     the draft) and keeps the form's own "Save" going there too;
   - keeps a copy of the typing in this browser (localStorage) until the server has it, and
     offers it back when the page opens on an older server copy (a closed tab, a dropped
     connection). The copy is the signed-in user's, is dropped as soon as the server has
     the typing, and is swept after a week;
   - holds a real submit until a save in flight has come back, so that nothing is
     created twice;
   - shows why a save failed (a conflict, no connection, signed out).
   The form works without it: the buttons save, and all parts of the form are there. */
(function () {
  "use strict";

  var PREFIX = "comity.draft.";
  var KEEP_FOR = 7 * 24 * 3600 * 1000;
  var timer = null;
  var form, area, status;
  var inFlight = false;
  var submitting = false;
  var heldSubmitter = null;
  var stopped = false;
  var dirty = false;
  var sent = null;
  var openedAs = "";

  function state() {
    var id = form.querySelector("[data-draft-id]");
    var version = form.querySelector("[data-draft-version]");
    return {
      id: id ? id.value : "",
      version: version ? parseInt(version.value, 10) || 0 : 0
    };
  }

  function storageKey() {
    var owner = form.getAttribute("data-autosave-owner") || "";
    return PREFIX + owner + "." + (state().id || "new");
  }

  function sweep() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var copy = JSON.parse(localStorage.getItem(key) || "{}");
          if (!copy.at || Date.now() - copy.at > KEEP_FOR) {
            localStorage.removeItem(key);
          }
        }
      }
    } catch (e) {
      /* nothing kept */
    }
  }

  function values() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      var bookkeeping = name === "csrfmiddlewaretoken" || name === "draft" || name === "version";
      if (!bookkeeping && typeof value === "string") {
        pairs.push([name, value]);
      }
    });
    return pairs;
  }

  function keep() {
    try {
      localStorage.setItem(
        storageKey(),
        JSON.stringify({ base: state().version, values: values(), dirty: dirty, at: Date.now() })
      );
    } catch (e) {
      /* storage full or disabled: the server copy is all there is */
    }
  }

  function forget(key) {
    try {
      localStorage.removeItem(key || storageKey());
    } catch (e) {
      /* nothing kept */
    }
  }

  function kept() {
    try {
      return JSON.parse(localStorage.getItem(storageKey()) || "null");
    } catch (e) {
      return null;
    }
  }

  function say(text) {
    status.textContent = text;
  }

  function addRows(prefix, wanted) {
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var section = total && total.closest("[data-formset]");
    var add = section && section.querySelector("[data-formset-add]");
    while (add && parseInt(total.value, 10) < wanted) {
      var before = total.value;
      add.click();
      if (total.value === before) {
        return;
      }
    }
  }

  function restore(copy) {
    copy.values.forEach(function (pair) {
      var rows = /^(.+)-TOTAL_FORMS$/.exec(pair[0]);
      if (rows) {
        addRows(rows[1], parseInt(pair[1], 10));
      }
    });
    copy.values.forEach(function (pair) {
      if (/-(TOTAL|INITIAL)_FORMS$/.test(pair[0])) {
        return;
      }
      var field = form.elements.namedItem(pair[0]);
      if (field && field.type !== "checkbox" && !(field instanceof RadioNodeList)) {
        field.value = pair[1];
      } else if (field && field.type === "checkbox") {
        field.checked = true;
      }
    });
    dirty = true;
    keep();
    save();
  }

  function offerRestore() {
    // The copy builds on the version it was typed over: a newer version on the server
    // means the typing reached it (or someone else's did), so the copy is dropped.
    var copy = kept();
    if (copy && (copy.base || 0) < state().version) {
      forget();
      return;
    }
    if (!copy || !copy.dirty) {
      return;
    }
    var offer = form.querySelector("[data-restore-offer]");
    if (!offer || JSON.stringify(copy.values) === JSON.stringify(values())) {
      return;
    }
    offer.classList.remove("d-none");
    offer.querySelector("[data-restore]").addEventListener("click", function () {
      offer.classList.add("d-none");
      restore(copy);
    });
    offer.querySelector("[data-restore-discard]").addEventListener("click", function () {
      offer.classList.add("d-none");
      forget();
    });
  }

  function save() {
    if (window.htmx && !stopped) {
      window.htmx.ajax("POST", location.pathname + "?autosave=1", {
        source: area,
        target: "#autosave-status",
        swap: "innerHTML"
      });
    }
  }

  function release() {
    // A submit held while a save was in flight goes now, to the address the save gave.
    if (!submitting) {
      return;
    }
    var submitter = heldSubmitter;
    heldSubmitter = null;
    if (form.requestSubmit) {
      form.requestSubmit(submitter || undefined);
    } else {
      form.submit();
    }
  }

  function fromAutosave(event) {
    return event.detail && event.detail.elt === area;
  }

  function start() {
    form = document.querySelector("[data-draft-form]");
    area = form && form.querySelector("[data-autosave]");
    status = document.getElementById("autosave-status");
    if (!form || !area || !status || !window.htmx) {
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll("[data-retype-button]"), function (b) {
      b.hidden = true;
    });

    form.addEventListener("input", function () {
      dirty = true;
      keep();
    });

    // A ticked box (a legal basis chosen, a row to remove) keeps its value: the trigger's
    // "changed" filter would let it through once only.
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") {
        dirty = true;
        keep();
        clearTimeout(timer);
        timer = setTimeout(save, 1500);
      }
    });

    form.addEventListener("submit", function (event) {
      submitting = true;
      if (inFlight) {
        event.preventDefault();
        heldSubmitter = event.submitter || null;
      }
    });

    document.body.addEventListener("htmx:confirm", function (event) {
      if (fromAutosave(event) && (submitting || stopped)) {
        event.preventDefault();
      }
    });

    document.body.addEventListener("htmx:configRequest", function (event) {
      if (fromAutosave(event)) {
        event.detail.path = location.pathname + "?autosave=1";
        sent = JSON.stringify(values());
        inFlight = true;
      }
    });

    document.body.addEventListener("htmx:beforeSwap", function (event) {
      if (!fromAutosave(event)) {
        return;
      }
      var xhr = event.detail.xhr;
      if ((xhr.responseText || "").indexOf("data-autosave-reply") === -1) {
        // Not the form's answer (signed out, a proxy's error page): show nothing of it.
        event.detail.shouldSwap = false;
        say(status.getAttribute("data-unsaved-text") || "");
        return;
      }
      if (xhr.status === 409) {
        stopped = true;
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });

    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (!fromAutosave(event)) {
        return;
      }
      inFlight = false;
      var xhr = event.detail.xhr;
      var moved = xhr && xhr.getResponseHeader("HX-Replace-Url");
      var saved = (xhr && xhr.responseText || "").indexOf("data-autosave-reply data-saved") !== -1;
      if (event.detail.successful && saved && !stopped) {
        if (moved) {
          forget(openedAs);
          form.setAttribute("action", moved);
        }
        if (sent === JSON.stringify(values())) {
          dirty = false;
          forget();  // the server has it all
        } else {
          keep();
        }
      } else if (!xhr || xhr.status === 0) {
        say(status.getAttribute("data-offline-text") || "");
      }
      release();
    });

    document.body.addEventListener("htmx:sendError", function (event) {
      if (fromAutosave(event)) {
        inFlight = false;
        say(status.getAttribute("data-offline-text") || "");
        release();
      }
    });

    window.addEventListener("online", function () {
      if (dirty) {
        save();
      }
    });

    openedAs = storageKey();
    sweep();
    offerRestore();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
