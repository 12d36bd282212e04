/* Copy buttons beside links meant to be passed on. Without JavaScript the buttons stay hidden
   and the read-only field is still there to select and copy by hand. */
(function () {
  "use strict";
  // Each copy field includes this script; the first run wires every button on the page.
  if (window.plannerCopyReady) { return; }
  window.plannerCopyReady = true;
  function copy(field, status) {
    var done = function () { status.textContent = "Copied."; };
    var byHand = function () {
      status.textContent = "Select the link and copy it with Ctrl+C or ⌘C.";
    };
    field.focus();
    field.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    if (copied) { done(); return; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, byHand);
    } else {
      byHand();
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
