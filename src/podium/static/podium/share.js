// Copy-link for the share box: shown only when the clipboard API is there (progressive
// enhancement; without JavaScript the other share links still work).
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll("button[data-copy-url]").forEach(function (button) {
    var status = button.closest(".share").querySelector(".share-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copyUrl).then(
        function () { status.textContent = button.dataset.copied; },
        function () { status.textContent = button.dataset.failed; }
      );
    });
  });
})();
