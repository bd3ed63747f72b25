// Reader signals: one "view" when the article page is shown, one "read" when the reader reaches
// the author box at the end. No cookies are set and nothing identifies the reader; the server
// counts each client once a day (see podium/stats/services.py).
(function () {
  "use strict";
  var data = document.getElementById("stats-beacon");
  if (!data || !navigator.sendBeacon) { return; }
  var config = JSON.parse(data.textContent);

  function send(signal) {
    var body = new FormData();
    body.append("article", String(config.article));
    body.append("signal", signal);
    navigator.sendBeacon(config.url, body);
  }

  send("view");

  var end = document.querySelector(".article .author-box") || document.querySelector(".author-box");
  if (!end || !("IntersectionObserver" in window)) { return; }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        send("read");
        observer.disconnect();
      }
    });
  }, { threshold: 0.5 });
  observer.observe(end);
})();
