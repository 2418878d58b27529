/* The draft-request form works without this script; with it, "add another" adds a row
   in place instead of reloading the page, the list of central authorities follows the
   requested state, "Save and submit" asks for a confirmation, the error summary takes the
   focus, and the parts of the form cannot be typed into while those of a newly chosen
   type load. */
(function () {
  "use strict";

  function addRow(section) {
    var total = section.querySelector('input[name$="-TOTAL_FORMS"]');
    var max = section.querySelector('input[name$="-MAX_NUM_FORMS"]');
    var template = section.querySelector("template[data-formset-template]");
    var rows = section.querySelector("[data-formset-rows]");
    if (!total || !template || !rows) {
      return false;
    }
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      return true;
    }
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var row = rows.lastElementChild;
    var number = row.querySelector("[data-row-number]");
    if (number) {
      number.textContent = String(index + 1);
    }
    var first = row.querySelector("input, select, textarea");
    if (first) {
      first.focus();
    }
    return true;
  }

  function narrowAuthorities() {
    var state = document.getElementById("id_requested_state");
    var authority = document.getElementById("id_requested_authority");
    if (!state || !authority) {
      return;
    }
    Array.prototype.forEach.call(authority.querySelectorAll("option[data-state]"), function (option) {
      option.hidden = state.value !== "" && option.getAttribute("data-state") !== state.value;
      if (option.hidden && option.selected) {
        authority.value = "";
      }
    });
    Array.prototype.forEach.call(authority.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-formset-add]");
    if (add && addRow(add.closest("[data-formset]"))) {
      event.preventDefault();
      return;
    }
    var confirming = event.target.closest("[data-confirm]");
    if (confirming && !window.confirm(confirming.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "id_requested_state") {
      narrowAuthorities();
    }
  });

  // Choosing a type re-renders the type's parts from what the server received; the answer
  // replaces them. Typing into them meanwhile (seconds, on a slow link) would be lost, so
  // they are inert (no focus, no input; still sent by the autosave) until it arrives.
  var retyping = null;

  function fromRetype(event) {
    var elt = event.detail && event.detail.elt;
    return Boolean(elt && elt.hasAttribute && elt.hasAttribute("data-retype"));
  }

  function retypeNote(which) {
    var note = document.querySelector("[data-retype-status]");
    if (note) {
      note.textContent = which ? note.getAttribute(which) || "" : "";
    }
  }

  function partsBusy(busy) {
    var sections = document.getElementById("type-sections");
    if (!sections) {
      return;
    }
    sections.inert = busy;
    if (busy) {
      sections.setAttribute("aria-busy", "true");
    } else {
      sections.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (fromRetype(event)) {
      retyping = event.detail.xhr;
      partsBusy(true);
      retypeNote("data-loading-text");
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    // A request replaced by a newer choice ends too: only the latest one frees the parts.
    if (!fromRetype(event) || event.detail.xhr !== retyping) {
      return;
    }
    retyping = null;
    partsBusy(false);
    // No answer, or one that swaps nothing in (see htmx-config in base.html): the parts
    // stay as they were, with what was typed before.
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    retypeNote(status === 0 || status >= 500 ? "data-failed-text" : null);
  });

  function start() {
    narrowAuthorities();
    var summary = document.querySelector("[data-draft-summary]");
    if (summary && !document.querySelector("[autofocus]")) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
