// The claim page: no edit is lost.
// 1. A transition form posted while the verdict form has unsaved edits carries those edits
//    (the server saves them, with the revision check, before taking the transition).
// 2. Leaving the page with unsaved edits in any form asks first.
(function () {
  "use strict";
  var verdict = document.getElementById("verdict_form");
  var tracked = Array.prototype.slice.call(document.querySelectorAll("form[data-desk-track]"));
  if (verdict && tracked.indexOf(verdict) < 0) tracked.push(verdict);

  function snapshot(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }
  var initial = new Map();
  tracked.forEach(function (form) { initial.set(form, snapshot(form)); });
  function dirty(form) { return initial.has(form) && snapshot(form) !== initial.get(form); }

  var leaving = false;
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      leaving = true;
      if (!verdict || form === verdict || !form.matches("form.desk-action") || !dirty(verdict)) return;
      // Carry every verdict field (including the revision the page was loaded at).
      new FormData(verdict).forEach(function (value, name) {
        if (name === "csrfmiddlewaretoken") return;
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        input.dataset.deskCarried = "1";
        form.appendChild(input);
      });
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving) return;
    if (tracked.some(dirty)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
