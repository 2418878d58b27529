/* The legal-basis panel of the request form. The form works without this script (the
   legal-basis text is typed by hand); with it, "Find the legal basis" opens the finder's
   answer for the request as it stands, the answer follows the requested state, the type of
   request and the first offence, and ticking an instrument adds its citation to the
   legal-basis text and its code to the hidden inputs saved with the draft. */
(function () {
  "use strict";

  var WATCHED = /^(type|requested_state|requested_authority|offences-\d+-iccs)$/;
  // The legal-basis text as the panel last wrote it: while the user has not changed it,
  // the panel may rewrite it whole; once they have, it only adds and removes citations.
  var written = null;

  function parts() {
    return {
      toggle: document.querySelector("[data-legal-basis-toggle]"),
      panel: document.getElementById("legal-basis-panel"),
      results: document.getElementById("legal-basis-results"),
      codes: document.querySelector("[data-legal-basis-codes]"),
      text: document.getElementById("id_legal_basis")
    };
  }

  function isOpen(p) {
    return p.toggle && p.toggle.getAttribute("aria-expanded") === "true";
  }

  function refresh(p) {
    if (window.htmx && p.results) {
      p.results.setAttribute("aria-busy", "true");
      window.htmx.trigger(p.results, "legal-basis-refresh");
    }
  }

  function toggle(p) {
    var open = !isOpen(p);
    p.toggle.setAttribute("aria-expanded", String(open));
    p.panel.hidden = !open;
    if (open) {
      refresh(p);
    }
  }

  function choices(p) {
    return Array.prototype.slice.call(p.results.querySelectorAll("[data-legal-basis-choice]"));
  }

  function citations(boxes) {
    return boxes
      .filter(function (box) { return box.checked; })
      .map(function (box) { return box.getAttribute("data-citation") || box.value; });
  }

  function splitText(value) {
    return value.split(";").map(function (part) { return part.trim(); }).filter(Boolean);
  }

  function writeCodes(p, boxes) {
    while (p.codes.firstChild) {
      p.codes.removeChild(p.codes.firstChild);
    }
    boxes.forEach(function (box) {
      if (!box.checked) {
        return;
      }
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "legal_basis_codes";
      input.value = box.value;
      p.codes.appendChild(input);
    });
  }

  function writeText(p, boxes, changed) {
    if (!p.text) {
      return;
    }
    var current = p.text.value.trim();
    if (current === "" || current === written) {
      p.text.value = citations(boxes).join("; ");
    } else {
      var citation = changed.getAttribute("data-citation") || changed.value;
      var items = splitText(current);
      var at = items.indexOf(citation);
      if (changed.checked && at === -1) {
        items.push(citation);
      } else if (!changed.checked && at !== -1) {
        items.splice(at, 1);
      }
      p.text.value = items.join("; ");
    }
    written = p.text.value.trim();
  }

  function chosen(p, box) {
    var boxes = choices(p);
    writeCodes(p, boxes);
    writeText(p, boxes, box);
  }

  function loaded(p) {
    p.results.setAttribute("aria-busy", "false");
    var boxes = choices(p);
    writeCodes(p, boxes);
    if (p.text && p.text.value.trim() === citations(boxes).join("; ")) {
      written = p.text.value.trim();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-legal-basis-toggle]");
    if (button) {
      toggle(parts());
    }
  });

  document.addEventListener("change", function (event) {
    var p = parts();
    if (!p.results) {
      return;
    }
    if (event.target.matches("[data-legal-basis-choice]")) {
      chosen(p, event.target);
    } else if (WATCHED.test(event.target.name || "") && isOpen(p)) {
      refresh(p);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var p = parts();
    if (p.results && event.target === p.results) {
      loaded(p);
    }
  });

  function start() {
    var p = parts();
    if (p.toggle && p.panel && p.results && p.codes && window.htmx) {
      p.toggle.hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
