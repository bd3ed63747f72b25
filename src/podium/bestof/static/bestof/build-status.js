// Follows a running build: polls the status URL, updates the progress, and reloads the page when
// the build has finished (to show the files or what stopped it). Without JavaScript a
// <noscript> meta refresh does the same more coarsely.
(function () {
  "use strict";
  var box = document.getElementById("build-status");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var label = box.querySelector(".build-label");
  var step = box.querySelector(".build-step");
  var bar = box.querySelector("progress");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (!data.is_building) { window.location.reload(); return; }
        if (label) label.textContent = data.label;
        if (step) step.textContent = data.step;
        if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();
