// Timelines: bring the searched time (or now) into view inside each timeline's own scroller,
// without moving the page. Without this script the page works the same; it just opens at the start.
(function () {
  document.querySelectorAll("[data-timeline]").forEach(function (region) {
    var focus = region.querySelector("[data-focus]");
    var label = region.querySelector("thead th");
    if (!focus || region.scrollWidth <= region.clientWidth) return;
    var cell = focus.offsetWidth / Math.max(1, focus.colSpan);
    region.scrollLeft = Math.max(0, focus.offsetLeft - (label ? label.offsetWidth : 0) - cell);
  });
})();
