// The home page's featured area: drag an article to a new place and the new order is submitted
// with the order the page showed, so the server can refuse it if another editor changed the
// area meanwhile. Without JavaScript the up/down buttons do the same job.
(function () {
  "use strict";
  var list = document.getElementById("placements");
  var form = document.getElementById("reorder-form");
  if (!list || !form || typeof Sortable === "undefined") { return; }
  document.documentElement.classList.add("can-drag");
  Sortable.create(list, {
    handle: ".drag-handle",
    draggable: ".placement",
    animation: 150,
    onEnd: function (event) {
      if (event.oldIndex === event.newIndex) { return; }
      var ids = Array.prototype.map.call(list.querySelectorAll(".placement"), function (item) {
        return item.getAttribute("data-placement-id");
      });
      form.querySelector("input[name=order]").value = ids.join(",");
      form.submit();
    }
  });
})();
