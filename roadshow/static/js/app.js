// Roadshow page helpers. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // Tell the server the browser's zone, so anonymous pages show local times.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
    // A visitor who is not signed in sees times in the zone the browser told us. On a first
    // visit (or after travelling) this page was drawn in another zone: show it again, now in
    // the browser's, once per zone (a refused or blocked cookie cannot make it loop).
    var root = document.documentElement;
    if (zone && root.hasAttribute("data-zone-follows-browser") && root.dataset.shownZone !== zone) {
      var key = "roadshow-zone-shown";
      if (window.sessionStorage && sessionStorage.getItem(key) !== zone) {
        sessionStorage.setItem(key, zone);
        window.location.reload();
      }
    }
    // Forms that ask for a zone (sign-up) get the browser's as the suggestion.
    document.querySelectorAll("[data-suggest-timezone]").forEach(function (select) {
      if (!select.dataset.userChosen && zone) {
        for (var i = 0; i < select.options.length; i++) {
          if (select.options[i].value === zone) { select.value = zone; break; }
        }
      }
    });
  } catch (e) { /* very old browsers: the server default applies */ }

  // Countdowns: <span data-countdown="2026-06-10T16:00:00Z" data-expired-text="..."></span>
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.dataset.countdown) - Date.now()) / 1000);
      if (left <= 0) { el.textContent = el.dataset.expiredText || "0:00:00"; return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600),
          m = Math.floor(left % 3600 / 60), s = left % 60;
      var dayWord = el.dataset.dayWord || "d";
      el.textContent = (d ? d + dayWord + " " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
    });
  }
  if (document.querySelector("[data-countdown]")) { tick(); setInterval(tick, 1000); }

  // Confirmation before destructive actions: <form data-confirm="Are you sure?">. Only a form
  // that can go through is confirmed: an invalid one (a required field left empty) is left to
  // the browser's own validation, or, with novalidate, to the server's error under the field.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!form.checkValidity()) { return; }
      if (!window.confirm(form.dataset.confirm)) { ev.preventDefault(); }
    });
  });
  // Disable submit buttons after the first click so a double click submits once.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      // after the browser has built the form data, so the clicked button's value is sent
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // A wide table scrolls sideways on a phone: let keyboard users focus it and scroll with the arrows.
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (!box.hasAttribute("tabindex")) { box.tabIndex = 0; }
  });
})();
