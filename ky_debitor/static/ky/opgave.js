/* The task screens' keyboard shortcuts and the pre-filling of references and ydelsestyper.
 *
 * N        takes the next task (the element marked data-genvej="naeste").
 * B        moves focus to the chosen bevilling (arrow keys then change it).
 * Ctrl+Enter confirms the task (data-genvej="bekraeft").
 * Choosing a bevilling fills every claim's reference and ydelsestype and pre-selects its sag;
 * the fields stay editable. Without JavaScript the server fills them from the best candidate.
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
  var ingenType = document.getElementById("id_ydelsestype");

  function udfyld() {
    var valgt = form.querySelector('input[name="bevilling"]:checked');
    if (!valgt) return;
    var ingen = valgt.value === "ingen";
    var ydelsestype = ingen ? (ingenType ? ingenType.value : "") : valgt.getAttribute("data-ydelsestype");
    form.querySelectorAll("[data-fordring-reference]").forEach(function (felt) {
      felt.value = ingen ? felt.getAttribute("data-oprindelig") : valgt.getAttribute("data-reference");
    });
    form.querySelectorAll("[data-fordring-ydelsestype]").forEach(function (felt) {
      felt.value = ydelsestype || "";
    });
    var sag = document.getElementById("sag-" + valgt.getAttribute("data-sag"));
    if (sag) sag.checked = true;
  }

  form.querySelectorAll('input[name="bevilling"]').forEach(function (radio) {
    radio.addEventListener("change", udfyld);
  });
  if (ingenType) {
    ingenType.addEventListener("change", function () {
      var ingen = document.getElementById("bevilling-ingen");
      if (ingen && ingenType.value) ingen.checked = true;
      udfyld();
    });
  }
})();
