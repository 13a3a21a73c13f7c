// The challenge's countdown. The server keeps the time; this only shows it and, when it runs
// out, sends the form as it stands (marked as timed out) so the page moves on by itself.
// Without this script the answer button does the same, and a late answer ends the run.
(function () {
  "use strict";
  var timer = document.getElementById("challenge-timer");
  var form = document.getElementById("challenge-form");
  if (!timer || !form) { return; }
  var shown = document.getElementById("challenge-seconds");
  var endsAt = Date.now() + parseInt(timer.dataset.secondsLeft || "0", 10) * 1000;
  var sent = false;
  form.addEventListener("submit", function () { sent = true; });

  function tick() {
    var left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    shown.textContent = String(left);
    if (left > 0) { window.setTimeout(tick, 250); return; }
    if (sent) { return; }
    sent = true;
    document.getElementById("challenge-timeout").hidden = false;
    form.querySelector("input[name=timed_out]").value = "1";
    form.submit();
  }
  tick();
}());
