// Live sending progress: polls the JSON endpoint and updates the <progress> element and the counts.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh) instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("progress");
  function set(name, value) {
    var el = box.querySelector('[data-count="' + name + '"]');
    if (el) el.textContent = String(value);
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        bar.max = data.total || 1;
        bar.value = data.done;
        bar.textContent = data.percent + "%";
        set("sent", data.sent);
        set("failed", data.failed);
        set("pending", data.pending);
        set("skipped", data.skipped);
        set("percent", data.percent);
        if (data.status === "sent") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 1000);
})();
