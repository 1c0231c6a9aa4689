// Review pages: a bulk send continues batch after batch by itself (the form works without it).
(function () {
  "use strict";
  var form = document.querySelector("form[data-review-autosubmit]");
  if (form) { setTimeout(function () { form.requestSubmit ? form.requestSubmit() : form.submit(); }, 400); }
  // Score page: show the running weighted total while typing.
  var scoreForm = document.querySelector("form[data-review-weights]");
  if (scoreForm) {
    var out = document.getElementById("live-total");
    var update = function () {
      var sum = 0, weights = 0, missing = false;
      scoreForm.querySelectorAll("input[data-weight]").forEach(function (input) {
        var v = parseFloat(input.value.replace(",", "."));
        var lo = parseFloat(input.dataset.min), hi = parseFloat(input.dataset.max), w = parseFloat(input.dataset.weight);
        if (isNaN(v) || v < lo || v > hi) { if (input.dataset.required === "1") { missing = true; } return; }
        sum += w * (hi > lo ? (v - lo) / (hi - lo) : 1); weights += w;
      });
      if (out) { out.textContent = (!missing && weights > 0) ? (100 * sum / weights).toFixed(1) : "—"; }
    };
    scoreForm.addEventListener("input", update);
    update();
  }
})();
