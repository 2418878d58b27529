/* The draft-request form works without this script; with it, "add another" adds a row
   in place instead of reloading the page, the list of central authorities follows the
   requested state, "Save and submit" asks for a confirmation, and the error summary
   takes the focus. */
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
