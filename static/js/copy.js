/* Copy buttons beside links meant to be passed on. Without JavaScript the buttons stay hidden
   and the read-only field is still there to select and copy by hand. */
(function () {
  "use strict";
  function copy(field, status) {
    var done = function () { status.textContent = "Copied."; };
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        status.textContent = "Select the link and copy it with Ctrl+C or ⌘C.";
      });
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    } else {
      status.textContent = "Select the link and copy it with Ctrl+C or ⌘C.";
    }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-copied");
    if (!field || !status) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { copy(field, status); });
    field.addEventListener("focus", function () { field.select(); });
  });
})();
