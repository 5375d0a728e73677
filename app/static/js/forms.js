// A refused form's summary of problems takes the focus, so the page opens on it and a screen
// reader reads it first. The summary also has autofocus for browsers that honour it without this.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
    if (summary.scrollIntoView) {
      summary.scrollIntoView({ block: "start" });
    }
  }
})();
