// Review pages: a bulk send continues batch after batch by itself (the form works without it);
// the score page shows a running total and confirms a conflict declaration once it is filled in.
(function () {
  "use strict";
  var form = document.querySelector("form[data-review-autosubmit]");
  if (form) { setTimeout(function () { form.requestSubmit ? form.requestSubmit() : form.submit(); }, 400); }
  // Score page: show the running weighted total while typing.
  var scoreForm = document.querySelector("form[data-review-weights]");
  if (scoreForm) {
    var out = document.getElementById("live-total");
    var total = new Intl.NumberFormat(document.documentElement.lang || undefined,
                                      { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    var update = function () {
      var sum = 0, weights = 0, missing = false;
      scoreForm.querySelectorAll("input[data-weight]").forEach(function (input) {
        var v = parseFloat(input.value.replace(",", "."));
        var lo = parseFloat(input.dataset.min), hi = parseFloat(input.dataset.max), w = parseFloat(input.dataset.weight);
        if (isNaN(v) || v < lo || v > hi) { if (input.dataset.required === "1") { missing = true; } return; }
        sum += w * (hi > lo ? (v - lo) / (hi - lo) : 1); weights += w;
      });
      // to the rubric's precision (one decimal), as the page's language writes numbers
      if (out) { out.textContent = (!missing && weights > 0) ? total.format(100 * sum / weights) : "—"; }
    };
    scoreForm.addEventListener("input", update);
    update();
  }
  // Declaring a conflict: confirm only a form that can go through. Without a reason the form is
  // sent unconfirmed and the page comes back with the form's own error, in the reader's language.
  document.querySelectorAll("form[data-review-confirm]").forEach(function (confirmForm) {
    confirmForm.addEventListener("submit", function (ev) {
      var blank = Array.prototype.some.call(confirmForm.querySelectorAll("[required]"), function (field) {
        return !field.value.trim();
      });
      if (blank || !confirmForm.checkValidity()) { return; }
      if (!window.confirm(confirmForm.dataset.reviewConfirm)) { ev.preventDefault(); }
    });
  });
})();
