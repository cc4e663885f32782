/* Visible Work: small enhancements. Every page works without them. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) summary.focus();
  var fields = document.querySelectorAll("[data-copy]");
  Array.prototype.forEach.call(fields, function (field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = field.getAttribute("data-copy");
    button.addEventListener("click", function () {
      var text = field.value !== undefined ? field.value : field.textContent.trim();
      var done = function () {
        button.textContent = field.getAttribute("data-copied");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done);
      } else if (field.select) {
        field.select();
        if (document.execCommand("copy")) done();
      }
    });
    field.insertAdjacentElement("afterend", button);
  });
})();
