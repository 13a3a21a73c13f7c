/* The question editor's live preview: a moment after typing stops, the form is sent to
   /bank/preview (nothing is saved) and the answer shows the checker's errors beside their
   fields and the item as a cadre sees it, in Chinese and English. Without JavaScript the
   "Preview" button does the same with a page load. */
(function () {
  "use strict";
  var form = document.getElementById("item-form");
  var target = document.getElementById("preview");
  var summary = document.getElementById("check-summary");
  if (!form || !target || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var sent = 0;

  function showErrors(errors) {
    var boxes = document.querySelectorAll("[data-errors-for]");
    Array.prototype.forEach.call(boxes, function (box) {
      var messages = errors[box.getAttribute("data-errors-for")] || [];
      while (box.firstChild) { box.removeChild(box.firstChild); }
      messages.forEach(function (message) {
        var line = document.createElement("p");
        line.className = "error";
        line.textContent = message;
        box.appendChild(line);
      });
    });
  }

  function showSummary(text, ok) {
    while (summary.firstChild) { summary.removeChild(summary.firstChild); }
    var line = document.createElement("p");
    line.className = ok ? "muted" : "flash flash-danger";
    line.textContent = text;
    summary.appendChild(line);
  }

  function refresh() {
    var mine = ++sent;
    var data = new FormData(form);
    data.set("action", "preview");
    fetch(url, {method: "POST", body: data, credentials: "same-origin",
                headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result || mine !== sent) { return; }
        showErrors(result.errors || {});
        showSummary(result.summary, result.ok);
        /* Rendered and escaped by the server, from the kinds' own partials. */
        if (result.ok) { target.innerHTML = result.html; }
      })
      .catch(function () { /* offline: the Preview button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 700);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
