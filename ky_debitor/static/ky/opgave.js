/* The task screens' keyboard shortcuts and the pre-filling of references and ydelsestyper.
 *
 * N        takes the next task (the element marked data-genvej="naeste").
 * B        moves focus to the chosen bevilling (arrow keys then change it).
 * Ctrl+Enter confirms the task (data-genvej="bekraeft").
 * Choosing a bevilling selects the sag the run would choose with it when no sag is chosen yet;
 * it never changes a claim's reference or ydelsestype (each comes from that claim's own
 * evidence; "Brug på alle tomme felter" fills the empty ones on request, on the server).
 */
(function () {
  "use strict";

  function skriverTekst(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || el.isContentEditable) return true;
    if (tag !== "input") return false;
    var type = (el.getAttribute("type") || "text").toLowerCase();
    return ["radio", "checkbox", "button", "submit"].indexOf(type) === -1;
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      var bekraeft = document.querySelector('[data-genvej="bekraeft"]');
      if (bekraeft) {
        e.preventDefault();
        bekraeft.click();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || skriverTekst(e.target)) return;
    if (e.key === "n" || e.key === "N") {
      var naeste = document.querySelector('[data-genvej="naeste"]');
      if (naeste) {
        e.preventDefault();
        naeste.click();
      }
    } else if (e.key === "b" || e.key === "B") {
      var valgt = document.querySelector('input[name="bevilling"]:checked') ||
        document.querySelector('input[name="bevilling"]');
      if (valgt) {
        e.preventDefault();
        valgt.focus();
      }
    }
  });

  var form = document.getElementById("opgave-form");
  if (!form) return;

  function vaelgSag() {
    var valgt = form.querySelector('input[name="bevilling"]:checked');
    if (!valgt || form.querySelector('input[name="sag"]:checked')) return;
    var sag = document.getElementById("sag-" + valgt.getAttribute("data-sag"));
    if (sag) sag.checked = true;
  }

  form.querySelectorAll('input[name="bevilling"]').forEach(function (radio) {
    radio.addEventListener("change", vaelgSag);
  });

  var fejl = document.getElementById("opgave-fejl");
  if (fejl) fejl.focus();
})();
