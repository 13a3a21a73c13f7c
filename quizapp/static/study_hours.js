// A study note read to its end: when the end of the note comes into view, its form is sent in
// the background and the answer shown below it. The server decides (once per note a year,
// not before a minimum reading time, within the day's cap); the button does the same without
// this script.
(function () {
  "use strict";
  var form = document.getElementById("note-read");
  if (!form || !window.fetch || !window.IntersectionObserver) { return; }
  var status = form.querySelector(".note-read-status");
  var visible = false;
  var done = false;
  var busy = false;
  var RETRY_MS = 15000;

  function send() {
    if (done || busy || !visible) { return; }
    busy = true;
    status.textContent = form.dataset.msgSending;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) { return response.json(); })
      .then(function (body) {
        busy = false;
        status.textContent = body.message || "";
        if (body.status === "early") { window.setTimeout(send, RETRY_MS); return; }
        done = true;
        form.querySelector("button").hidden = true;
      })
      .catch(function () { busy = false; status.textContent = ""; });
  }
  new IntersectionObserver(function (entries) {
    visible = entries.some(function (e) { return e.isIntersecting; });
    send();
  }).observe(form);
}());
