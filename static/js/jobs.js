/* Live progress of a job page: polls the JSON status every second. Without JavaScript the page
   refreshes itself every 2 seconds (a meta refresh inside <noscript>) until the job ends. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-finished") === "yes" || !window.fetch) { return; }
  var bar = document.getElementById("job-progress");
  var words = document.getElementById("job-status");
  var count = document.getElementById("job-count");
  var lang = document.documentElement.lang || undefined;
  function number(n) { return Number(n).toLocaleString(lang); }  // 56 580 in Lithuanian
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.total) {
          bar.max = s.total; bar.value = s.done; count.textContent = number(s.done) + " / " + number(s.total);
        }
        if (s.message && !s.finished) { words.textContent = s.message; }
        if (s.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
