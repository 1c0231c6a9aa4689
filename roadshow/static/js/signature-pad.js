// A signature drawn with mouse, pen or finger on a canvas, sent as a PNG data URL in a hidden
// field. No inline script (the CSP forbids it); the page marks the pad with data attributes:
// <div data-signature-pad data-target="hidden-field-id"><canvas></canvas></div>
// <button data-signature-clear>
(function () {
  "use strict";
  document.querySelectorAll("[data-signature-pad]").forEach(function (pad) {
    var canvas = pad.querySelector("canvas");
    var field = document.getElementById(pad.dataset.target);
    if (!canvas || !field || !canvas.getContext) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false, drawn = false, last = null;
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#1b1b1f";
    canvas.style.touchAction = "none";

    function point(ev) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: (ev.clientX - rect.left) * canvas.width / rect.width,
        y: (ev.clientY - rect.top) * canvas.height / rect.height
      };
    }
    function save() { field.value = drawn ? canvas.toDataURL("image/png") : ""; }

    // a page shown again after an error (wrong code, wrong password) carries the drawing back
    // in the hidden field: put it on the canvas, or submitting would silently drop it
    if (field.value.indexOf("data:image/png;base64,") === 0) {
      var previous = new Image();
      previous.onload = function () {
        ctx.drawImage(previous, 0, 0, canvas.width, canvas.height);
        drawn = true;
      };
      previous.src = field.value;
    }

    canvas.addEventListener("pointerdown", function (ev) {
      drawing = true;
      last = point(ev);
      canvas.setPointerCapture(ev.pointerId);
      ctx.beginPath();
      ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fill();
      drawn = true;
      ev.preventDefault();
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!drawing) { return; }
      var p = point(ev);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
      ev.preventDefault();
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () {
        if (drawing) { drawing = false; save(); }
      });
    });
    var clear = pad.parentElement.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        save();
      });
    }
    var form = pad.closest("form");
    if (form) { form.addEventListener("submit", save); }
  });
})();
