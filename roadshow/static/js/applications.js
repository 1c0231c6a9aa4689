// The application form: refuse an oversized deck before sending it, and keep what the
// applicant types on this device until the server has saved it (a lost connection, an
// expired session or a too-large upload then loses nothing).
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var max = parseInt(input.dataset.maxBytes, 10);
      var file = input.files && input.files[0];
      var note = input.parentNode.querySelector(".js-size-note");
      if (note) { note.remove(); }
      if (file && max && file.size > max) {
        input.value = "";
        input.classList.add("is-invalid");
        note = document.createElement("div");
        note.className = "invalid-feedback d-block js-size-note";
        note.setAttribute("role", "alert");
        note.textContent = input.dataset.tooLargeText;
        input.parentNode.appendChild(note);
      } else {
        input.classList.remove("is-invalid");
      }
    });
  });

  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.localStorage) { return; }
  var key = "roadshow:" + form.dataset.autosave;
  var savedAt = Date.parse(form.dataset.savedAt || "") || 0;
  var fields = form.querySelectorAll("input[type=text], input[type=url], input[type=number], input:not([type]), textarea, select, input[type=checkbox]");

  function snapshot() {
    var values = {};
    fields.forEach(function (el) {
      if (!el.name || el.name === "csrf_token" || el.name === "form_token") { return; }
      if (el.type === "checkbox") {
        values[el.name] = values[el.name] || [];
        if (el.checked) { values[el.name].push(el.value); }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  try {
    var stored = JSON.parse(localStorage.getItem(key) || "null");
    var hasServerErrors = form.querySelector(".is-invalid") !== null;
    if (stored && stored.at > savedAt + 1000 && !hasServerErrors) {
      fields.forEach(function (el) {
        if (!(el.name in stored.values)) { return; }
        var value = stored.values[el.name];
        if (el.type === "checkbox") { el.checked = value.indexOf(el.value) !== -1; }
        else { el.value = value; }
      });
      var note = document.createElement("div");
      note.className = "alert alert-info";
      note.setAttribute("role", "status");
      note.textContent = form.dataset.restoredText;
      form.insertBefore(note, form.firstChild);
    } else if (stored && stored.at <= savedAt) {
      localStorage.removeItem(key);
    }
  } catch (e) { localStorage.removeItem(key); }

  var timer = null;
  function remember() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() })); } catch (e) { /* full */ }
    }, 400);
  }
  form.addEventListener("input", remember);
  form.addEventListener("change", remember);
})();
