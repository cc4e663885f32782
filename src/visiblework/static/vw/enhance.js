/* Visible Work: small enhancements. Every page works without them. */
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  if (!navigator.clipboard) return; // no button where it could not copy (plain http)
  document.querySelectorAll("[data-copy]").forEach(function (el) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = el.dataset.copy;
    button.onclick = function () {
      navigator.clipboard.writeText(el.value || el.textContent.trim()).then(function () {
        button.textContent = el.dataset.copied;
      });
    };
    el.after(button);
  });
})();
