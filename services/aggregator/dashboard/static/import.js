// Follows an import running in the background: polls its JSON status every second, moves the
// <progress> bar and the counts, and reloads the page once the import is over (the server then
// renders the outcome and every problem). Without scripts, a meta refresh reloads the page.
"use strict";
(function () {
  var panel = document.getElementById("import-job");
  if (!panel || panel.dataset.finished === "true") return;
  var bar = document.getElementById("progress");
  function show(status) {
    bar.max = Math.max(status.total, 1);
    bar.value = status.done;
    ["done", "total", "checked", "written", "replayed", "refused"].forEach(function (key) {
      document.getElementById(key).textContent = status[key];
    });
    document.getElementById("phase").textContent = status.phase_name;
  }
  function poll() {
    fetch(panel.dataset.status + window.location.search, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        show(status);
        if (status.finished) window.location.reload();
        else window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
