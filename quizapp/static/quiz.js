// Autosave for the quiz page. Every change is saved at once with PUT; when that fails the
// answer stays in localStorage, the page says "not saved yet", and it is retried with
// back-off and replayed after a reload, a closed tab, or when the connection returns.
// The page works without this script (the form posts all answers).
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch || !window.localStorage) { return; }

  var attemptId = form.dataset.attemptId;
  var storeKey = "quizapp:pending:" + attemptId;
  var seqKey = "quizapp:seq:" + attemptId;
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var statusBox = document.getElementById("sync-status");
  var retryDelay = 1000;
  var retryTimer = null;
  var closed = false;
  var inFlight = {};
  // Practice mode: answers are saved as they change, and the key is asked for per item (with
  // how sure the cadre is); from then on the server keeps that answer as final.
  var practice = form.dataset.practice === "1";

  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function pending() { return load(storeKey, {}); }
  function savePending(map) { localStorage.setItem(storeKey, JSON.stringify(map)); }

  // The sequence number must grow past anything the server has already saved.
  var seq = load(seqKey, 0);
  form.querySelectorAll("fieldset[data-item-id]").forEach(function (fs) {
    seq = Math.max(seq, parseInt(fs.dataset.seq || "0", 10));
  });
  function nextSeq() { seq += 1; localStorage.setItem(seqKey, JSON.stringify(seq)); return seq; }

  function fieldsetFor(itemId) {
    return form.querySelector('fieldset[data-item-id="' + CSS.escape(itemId) + '"]');
  }
  // The answer's shape comes from the fieldset's data-answer (one, many, pairs, texts): the
  // same contract the server's form reads, so no question kind is named here.
  function textParts(fs) { return fs.querySelectorAll("[data-part]"); }
  function responseOf(fs) {
    if (fs.dataset.answer === "texts") {
      var parts = [];
      textParts(fs).forEach(function (t) { if (t.value.trim()) { parts.push(t.dataset.part + "=" + t.value); } });
      return parts;
    }
    var chosen = Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (i) { return i.value; });
    fs.querySelectorAll("select").forEach(function (s) { if (s.value) { chosen.push(s.value); } });
    return chosen;
  }
  function restore(fs, answer) {
    if (fs.dataset.answer === "texts") {
      textParts(fs).forEach(function (t) {
        var prefix = t.dataset.part + "=";
        var found = answer.filter(function (a) { return a.indexOf(prefix) === 0; })[0];
        t.value = found ? found.slice(prefix.length) : "";
      });
      return;
    }
    fs.querySelectorAll("input").forEach(function (input) {
      input.checked = answer.indexOf(input.value) !== -1;
    });
    fs.querySelectorAll("select").forEach(function (select) {
      var picked = Array.prototype.find.call(select.options, function (o) { return o.value && answer.indexOf(o.value) !== -1; });
      select.value = picked ? picked.value : "";
    });
  }
  function setItemStatus(itemId, text, cls) {
    var fs = fieldsetFor(itemId);
    if (!fs) { return; }
    var box = fs.querySelector(".save-status");
    box.textContent = text;
    box.className = "save-status " + (cls || "");
  }
  function showStatus() {
    var count = Object.keys(pending()).length;
    if (closed) { statusBox.textContent = form.dataset.msgClosed; }
    else if (count && !navigator.onLine) { statusBox.textContent = form.dataset.msgOffline; }
    else if (count) { statusBox.textContent = form.dataset.msgPending + " (" + count + ")"; }
    else { statusBox.textContent = ""; }
    statusBox.hidden = !statusBox.textContent;
    statusBox.className = "sync-status" + (count ? " pending" : "");
  }
  function showFeedback(itemId, feedback) {
    var fs = fieldsetFor(itemId);
    if (!fs || !feedback) { return; }
    var box = fs.querySelector(".feedback");
    box.textContent = "";
    var verdict = document.createElement("p");
    verdict.className = feedback.correct ? "right" : "wrong";
    verdict.textContent = feedback.correct ? form.dataset.msgCorrect
      : form.dataset.msgWrong + " " + feedback.key.join(", ");
    box.appendChild(verdict);
    Object.keys(feedback.explanations).forEach(function (k) {
      var p = document.createElement("p");
      p.className = "explanation";
      p.textContent = feedback.explanations[k];
      box.appendChild(p);
    });
    if (feedback.study_url) {
      var link = document.createElement("a");
      link.href = feedback.study_url;
      link.textContent = form.dataset.msgStudy;
      var line = document.createElement("p");
      line.appendChild(link);
      box.appendChild(line);
    }
  }
  // A checked answer is final: the item takes no more changes, and says what was marked.
  function lock(fs, confidence) {
    fs.disabled = true;
    fs.classList.add("final");
    var box = fs.querySelector(".check");
    if (!box) { return; }
    box.textContent = "";
    var mark = confidence === "sure" ? form.dataset.msgSure : confidence === "unsure" ? form.dataset.msgUnsure : "";
    if (mark) {
      var p = document.createElement("p");
      p.className = "muted";
      p.textContent = mark;
      box.appendChild(p);
    }
  }

  function scheduleRetry() {
    if (retryTimer || closed) { return; }
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function send(itemId, entry) {
    if (inFlight[itemId]) { return; }
    inFlight[itemId] = true;
    var url = form.dataset.answerUrl.replace("ITEM", encodeURIComponent(itemId));
    fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(practice
        ? { response: entry.response, seq: entry.seq, check: !!entry.check, confidence: entry.confidence || null }
        : { response: entry.response, seq: entry.seq })
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) { return [res, body]; });
    }).then(function (pair) {
      var res = pair[0], body = pair[1];
      inFlight[itemId] = false;
      var map = pending();
      if (res.ok || res.status === 400 || res.status === 404 || res.status === 409) {
        // Acknowledged (or refused for good): forget it unless a newer answer is waiting.
        if (map[itemId] && map[itemId].seq <= entry.seq) { delete map[itemId]; savePending(map); }
        if (res.ok) {
          retryDelay = 1000;
          setItemStatus(itemId, form.dataset.msgSaved, "saved");
          showFeedback(itemId, body.feedback);
          var answered = fieldsetFor(itemId);
          if (body.final && answered) { restore(answered, body.response || []); lock(answered, body.confidence); }
        } else {
          setItemStatus(itemId, body.error || "", "error");
          if (res.status === 409) { closed = true; }
        }
      } else {
        setItemStatus(itemId, form.dataset.msgPending, "pending");
        scheduleRetry();
      }
      showStatus();
      if (map[itemId] && !closed) { flush(); }
    }).catch(function () {
      inFlight[itemId] = false;
      setItemStatus(itemId, form.dataset.msgPending, "pending");
      showStatus();
      scheduleRetry();
    });
  }

  function flush() {
    var map = pending();
    Object.keys(map).forEach(function (itemId) { send(itemId, map[itemId]); });
    showStatus();
  }

  function record(fs, check) {
    var itemId = fs.dataset.itemId;
    var map = pending();
    map[itemId] = { response: responseOf(fs), seq: nextSeq() };
    if (check) { map[itemId].check = true; map[itemId].confidence = check.confidence; }
    savePending(map);
    setItemStatus(itemId, form.dataset.msgPending, "pending");
    send(itemId, map[itemId]);
    showStatus();
  }
  form.addEventListener("change", function (event) {
    var fs = event.target.closest("fieldset[data-item-id]");
    if (fs && !closed) { record(fs); }
  });
  // "Sure", "Not sure" or "Just check" under an item: send that answer alone with the mark.
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-check]");
    if (!button) { return; }
    event.preventDefault();
    var fs = button.closest("fieldset[data-item-id]");
    if (!fs || closed) { return; }
    if (!responseOf(fs).length) { setItemStatus(fs.dataset.itemId, form.dataset.msgAnswerFirst, "error"); return; }
    var confidence = button.dataset.check || null;
    record(fs, { confidence: confidence });
    lock(fs, confidence);
  });
  // Enter in a typed answer must not press the first item's check button (the form's default).
  form.addEventListener("keydown", function (event) {
    if (practice && event.key === "Enter" && event.target.matches("input")) { event.preventDefault(); }
  });
  // Typed answers are kept while the cadre types (after a short pause), not only on leaving
  // the field: a phone may lose the page before the field loses focus.
  var typingTimers = {};
  form.addEventListener("input", function (event) {
    var fs = event.target.closest("fieldset[data-item-id]");
    if (!fs || closed || fs.dataset.answer !== "texts") { return; }
    clearTimeout(typingTimers[fs.dataset.itemId]);
    typingTimers[fs.dataset.itemId] = setTimeout(function () { record(fs); }, 800);
  });

  // After a reload or a closed tab: show the unsent answers and send them again.
  var stored = pending();
  Object.keys(stored).forEach(function (itemId) {
    var fs = fieldsetFor(itemId);
    if (!fs) { return; }
    restore(fs, stored[itemId].response);
    if (stored[itemId].check) { lock(fs, stored[itemId].confidence); }
    setItemStatus(itemId, form.dataset.msgPending, "pending");
  });
  // When every answer is already saved, the submit must not overwrite them with this tab's
  // view of the page (another tab may have saved newer ones); otherwise the form carries them.
  form.addEventListener("submit", function () {
    var flag = form.querySelector("input[name=autosaved]");
    if (flag) { flag.value = Object.keys(pending()).length ? "" : "1"; }
  });
  window.addEventListener("online", function () { retryDelay = 1000; flush(); });
  window.addEventListener("offline", showStatus);
  flush();

  // The countdown only displays the server's remaining time; the server enforces it.
  var timer = document.getElementById("timer");
  if (timer) {
    var deadline = Date.now() + parseInt(timer.dataset.secondsLeft, 10) * 1000;
    var value = document.getElementById("timer-value");
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      value.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      if (left === 0) {
        clearInterval(handle);
        if (!Object.keys(pending()).length && navigator.onLine) { form.requestSubmit(document.getElementById("submit-button")); }
      }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
})();
