// A job's progress page: poll the JSON endpoint and move the bar; reload once the job has
// ended so the page shows its outcome. Without JavaScript a <noscript> refresh does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-progress]");
  if (!box || box.dataset.active !== "true") { return; }
  var bar = box.querySelector("[data-job-bar]");
  var status = box.querySelector("[data-job-status]");
  var error = box.querySelector("[data-job-error]");
  var every = Math.max(1, parseInt(box.dataset.pollSeconds, 10) || 2) * 1000;
  var failures = 0;

  function show(data) {
    bar.max = data.total || 1;
    bar.value = data.total ? data.done : 0;
    bar.textContent = data.percent + "%";
    if (status.textContent !== data.status_line) { status.textContent = data.status_line; }
    error.textContent = data.error;
    error.classList.toggle("d-none", !data.error);
  }

  function poll() {
    fetch(box.dataset.jobProgress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (data.active) { window.setTimeout(poll, every); } else { window.location.reload(); }
      })
      .catch(function () {
        // weak networks: keep trying, less often
        failures += 1;
        window.setTimeout(poll, every * Math.min(8, 1 + failures));
      });
  }
  window.setTimeout(poll, every);
})();
