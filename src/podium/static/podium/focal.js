// The picture editor's focal point: a click (or tap) in the picture fills in the two percentage
// fields and moves the marker; typing in the fields moves the marker too. Without JavaScript the
// fields alone do the job.
(function () {
  "use strict";
  var frame = document.querySelector("[data-focal-frame]");
  if (!frame) return;
  var marker = frame.querySelector("[data-focal-marker]");
  var picture = frame.querySelector("img");
  var fieldX = document.getElementById("id_focal_x");
  var fieldY = document.getElementById("id_focal_y");
  if (!marker || !picture || !fieldX || !fieldY) return;

  function show() {
    var x = parseFloat(fieldX.value), y = parseFloat(fieldY.value);
    if (isNaN(x) || isNaN(y)) { marker.hidden = true; return; }
    marker.style.left = Math.min(100, Math.max(0, x)) + "%";
    marker.style.top = Math.min(100, Math.max(0, y)) + "%";
    marker.hidden = false;
  }

  frame.classList.add("is-clickable");
  picture.addEventListener("click", function (event) {
    var box = picture.getBoundingClientRect();
    var x = ((event.clientX - box.left) / box.width) * 100;
    var y = ((event.clientY - box.top) / box.height) * 100;
    fieldX.value = Math.round(Math.min(100, Math.max(0, x)) * 10) / 10;
    fieldY.value = Math.round(Math.min(100, Math.max(0, y)) * 10) / 10;
    show();
  });
  fieldX.addEventListener("input", show);
  fieldY.addEventListener("input", show);
  show();
})();
