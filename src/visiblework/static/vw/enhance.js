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
    // Where a page has several, each button is named after what it copies ("Copy the
    // citation in RIS"); the name starts with the visible word, as WCAG's label-in-name asks.
    if (el.dataset.copyLabel) button.setAttribute("aria-label", el.dataset.copyLabel);
    button.onclick = function () {
      navigator.clipboard.writeText(el.value || el.textContent.trim()).then(function () {
        button.textContent = el.dataset.copied;
        button.removeAttribute("aria-label");
      });
    };
    el.after(button);
  });
})();
