// The sign-up form: a refused form's summary takes the focus; "add another child" shows the next
// block at once (copying the relation and the emergency contact of the first child) instead of
// sending the form. Without this script the button sends the form, which comes back with one more block.
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  function copy(from, to, name) {
    var source = from.querySelector("[name$='-" + name + "']");
    var target = to.querySelector("[name$='-" + name + "']");
    if (source && target && !target.value) {
      target.value = source.value;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-child]");
    if (!button) {
      return;
    }
    var blocks = button.form.querySelectorAll("[data-child]");
    var next = button.form.querySelector("[data-child][hidden]");
    if (!next) {
      return;
    }
    event.preventDefault();
    next.hidden = false;
    ["guardian_relation", "emergency_contact_name", "emergency_contact_phone"].forEach(function (name) {
      copy(blocks[0], next, name);
    });
    next.querySelector("input").focus();
    if (!button.form.querySelector("[data-child][hidden]")) {
      button.hidden = true;
    }
  });
})();
