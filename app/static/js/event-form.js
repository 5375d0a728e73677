// The event form: show only the fieldsets of the chosen kind, and keep "what the public will see"
// in step with the fields. Without this script every fieldset shows, its kind named in its legend,
// and the summary is the one the server drew.
(function () {
  "use strict";

  var form = document.querySelector("[data-kind-form]");
  if (!form) {
    return;
  }
  var kind = form.querySelector("#kind");

  function byKind(selector, attribute) {
    document.querySelectorAll(selector).forEach(function (element) {
      var kinds = element.getAttribute(attribute).split(" ");
      element.hidden = kinds.indexOf(kind.value) === -1;
    });
  }

  function text(id) {
    var input = form.querySelector("#" + id);
    if (!input) {
      return "";
    }
    if (input.tagName === "SELECT") {
      return input.selectedIndex >= 0 ? input.options[input.selectedIndex].text : "";
    }
    return input.value.trim();
  }

  function show(name, value, fallback) {
    var target = document.querySelector('[data-preview="' + name + '"]');
    if (target) {
      target.textContent = value || fallback || "—";
    }
  }

  function when() {
    var sessions = text("sessions");
    if (sessions) {
      return sessions.split("\n").filter(function (line) { return line.trim(); }).join(" · ");
    }
    var start = text("start").replace("T", " ");
    var end = text("end").replace("T", " ");
    return start ? start + (end ? " – " + end : "") : "";
  }

  function update() {
    byKind("fieldset[data-kinds]", "data-kinds");
    byKind("[data-preview-kinds]", "data-preview-kinds");
    show("kind", text("kind"));
    show("host", text("host"));
    show("title", text("title"));
    var target = document.querySelector('[data-preview="when"]');
    show("when", when(), target && target.getAttribute("data-preview-empty"));
    show("where", form.querySelector("#room_id").value !== "0" ? text("room_id") : text("address"));
    show("capacity", text("capacity"));
    show("itinerary", text("itinerary"));
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
