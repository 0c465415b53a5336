/* Tessera practice: the practice page talks to the JSON API, and every learner page sends answers that
 * were saved on this phone while offline.
 *
 * An answer is put in a queue in localStorage (keyed by its client_id, with the whole request) BEFORE it
 * is sent, and leaves the queue only after the server answered 2xx, or a 4xx other than 401/403/408/429
 * (then the learner is told why); a 5xx keeps it for the next try. The queue is sent in order on page
 * load, on the `online` event and on a retry timer, always with the same client_id: the server stores an
 * answer once per client_id, so sending it twice is harmless. One queued answer goes alone (its reply
 * carries the next item: one request per question); a backlog saved offline goes as batches of up to
 * BATCH_LIMIT answers, each with its own result. No inline scripts (strict CSP): this file is the whole
 * client.
 */
(function () {
  "use strict";

  var queueRoot = document.getElementById("answer-queue");
  if (!queueRoot) {
    return;
  }
  var RETRY_MS = 15000;
  /* The page's words, translated by the server (practice/_queue.html); English when missing. */
  var words = {};
  try {
    words = JSON.parse(document.getElementById("practice-words").textContent);
  } catch (error) { /* English it is */ }

  function t(key, params) {
    var text = words[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(params[name]));
    });
    return text;
  }

  var KEEP_STATUSES = { 401: true, 403: true, 408: true, 429: true };
  var BATCH_URL = "/api/practice/answers/batch";
  var BATCH_LIMIT = 50;
  var storageKey = "tessera.answers.v1." + queueRoot.getAttribute("data-user");
  var memoryQueue = [];
  var flushing = null;
  var retryTimer = null;
  var listeners = { sent: [], rejected: [], stalled: [] };

  /* ---- the queue ---------------------------------------------------------------------------- */

  function readQueue() {
    try {
      var raw = window.localStorage.getItem(storageKey);
      return raw ? JSON.parse(raw) : [];
    } catch (error) {
      return memoryQueue.slice();
    }
  }

  function writeQueue(entries) {
    memoryQueue = entries.slice();
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(entries));
    } catch (error) {
      /* Private browsing or a full disk: the in-memory copy still works while the page is open. */
    }
  }

  function enqueue(entry) {
    var entries = readQueue();
    var known = entries.some(function (e) { return e.client_id === entry.client_id; });
    if (!known) {
      entries.push(entry);
      writeQueue(entries);
    }
  }

  function dequeue(clientId) {
    writeQueue(readQueue().filter(function (e) { return e.client_id !== clientId; }));
  }

  function queued(sessionUrl) {
    return readQueue().filter(function (e) { return !sessionUrl || e.url.indexOf(sessionUrl + "/") === 0; });
  }

  /* ---- talking to the API ------------------------------------------------------------------- */

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function detailOf(response) {
    return response.text().then(function (text) {
      try {
        var body = JSON.parse(text);
        if (body && typeof body.detail === "string") {
          return body.detail;
        }
      } catch (error) { /* not JSON */ }
      return t("serverAnswered", { status: response.status });
    });
  }

  /* Resolves to {ok: true, data} | {ok: false, status, detail} | {ok: false, offline: true}. */
  function api(method, url, body, extraHeaders) {
    var headers = { "Accept": "application/json" };
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      headers["X-CSRFToken"] = csrfToken();
    }
    Object.keys(extraHeaders || {}).forEach(function (key) { headers[key] = extraHeaders[key]; });
    if (navigator.onLine === false) {
      return Promise.resolve({ ok: false, offline: true });
    }
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (data) { return { ok: true, status: response.status, data: data }; });
      }
      return detailOf(response).then(function (detail) {
        return { ok: false, status: response.status, detail: detail };
      });
    }, function () {
      return { ok: false, offline: true };
    });
  }

  function sendEntry(entry) {
    return api("POST", entry.url, entry.payload, { "Idempotency-Key": entry.client_id });
  }

  /* Several queued answers in one request; each names its session (from its queued address). */
  function sendBatch(entries) {
    return api("POST", BATCH_URL, {
      answers: entries.map(function (entry) {
        var session = entry.url.match(/\/sessions\/(\d+)\/answers$/);
        var answer = { session_id: session ? parseInt(session[1], 10) : null };
        Object.keys(entry.payload).forEach(function (key) { answer[key] = entry.payload[key]; });
        answer.client_id = entry.client_id;
        return answer;
      })
    });
  }

  function emit(kind, entry, result) {
    listeners[kind].forEach(function (listener) { listener(entry, result); });
  }

  /* Send every queued answer, oldest first. Offline or signed out: stop, everything waits. An answer the
   * server cannot take right now (5xx, 403 such as an expired CSRF token, 408, 429) stays queued and the
   * pass goes on with the next ones, so one stuck answer never holds back the others. */
  function flush() {
    if (flushing) {
      /* One pass at a time, in order; an answer queued during a pass gets its own pass after it. */
      return flushing.then(function () { return flush(); });
    }
    var held = {};
    var allSent = true;
    flushing = new Promise(function (resolve) {
      function step() {
        var entries = readQueue().filter(function (entry) { return !held[entry.client_id]; });
        if (!entries.length) {
          resolve(allSent);
          return;
        }
        var batch = entries.slice(0, BATCH_LIMIT);
        if (batch.length === 1) {
          sendEntry(batch[0]).then(function (result) {
            if (settle(batch[0], result)) {
              step();
            }
          });
          return;
        }
        sendBatch(batch).then(function (result) {
          if (!result.ok) {
            /* The batch as a whole did not arrive: like one answer that did not. */
            if (batch.every(function (entry) { return settle(entry, result); })) {
              step();
            }
            return;
          }
          result.data.results.forEach(function (one, index) {
            var ok = one.status >= 200 && one.status < 300;
            settle(batch[index], { ok: ok, status: one.status, data: one.result, detail: one.detail });
          });
          step();
        });
      }

      /* What one answer's result does to the queue; false when the pass must stop (offline, signed out). */
      function settle(entry, result) {
        if (result.ok) {
          dequeue(entry.client_id);
          emit("sent", entry, result);
        } else if (result.offline || result.status === 401) {
          emit("stalled", entry, result);
          resolve(false);
          return false;
        } else if (result.status >= 400 && result.status < 500 && !KEEP_STATUSES[result.status]) {
          dequeue(entry.client_id);
          emit("rejected", entry, result);
        } else {
          held[entry.client_id] = true;
          allSent = false;
          emit("stalled", entry, result);
        }
        return true;
      }
      step();
    }).then(function (done) {
      flushing = null;
      scheduleRetry();
      updateQueueStatus();
      return done;
    });
    return flushing;
  }

  function scheduleRetry() {
    if (retryTimer === null && readQueue().length) {
      retryTimer = window.setInterval(function () {
        if (!readQueue().length) {
          window.clearInterval(retryTimer);
          retryTimer = null;
          return;
        }
        flush();
      }, RETRY_MS);
    }
  }

  /* ---- what every learner page says about the queue ------------------------------------------ */

  var queueStatus = document.getElementById("queue-status");
  var practiceRoot = document.getElementById("practice");
  var sentEarlier = 0;
  var rejectedMessages = [];

  function setText(element, text) {
    if (element) {
      element.textContent = text;
    }
  }

  function updateQueueStatus() {
    var waiting = readQueue().length;
    var parts = [];
    if (waiting && !practiceRoot) { /* the practice page says it next to the question */
      parts.push(t(waiting === 1 ? "waitingOne" : "waitingMany", { count: waiting }));
    }
    if (sentEarlier) {
      parts.push(t(sentEarlier === 1 ? "sentEarlierOne" : "sentEarlierMany", { count: sentEarlier }));
    }
    parts = parts.concat(rejectedMessages);
    setText(queueStatus, parts.join(" "));
    if (queueStatus) {
      queueStatus.classList.toggle("message", parts.length > 0);
    }
  }

  var currentClientId = null;

  listeners.sent.push(function (entry) {
    if (entry.client_id !== currentClientId) {
      sentEarlier += 1;
    }
  });
  listeners.rejected.push(function (entry, result) {
    if (entry.client_id !== currentClientId) {
      rejectedMessages.push(t("rejectedEarlier", { stem: entry.stem || "…", detail: result.detail }));
    }
  });
  listeners.stalled.push(function (entry, result) {
    if (result.status === 401) {
      rejectedMessages = [t("signInEnded")];
    }
  });

  window.addEventListener("online", function () { flush(); });
  window.addEventListener("offline", updateQueueStatus);

  if (!practiceRoot) {
    flush();
    return;
  }

  /* ---- the practice page --------------------------------------------------------------------- */

  var sessionUrl = practiceRoot.getAttribute("data-api");
  var masteryUrl = practiceRoot.getAttribute("data-mastery-url");
  var el = function (id) { return document.getElementById(id); };
  var statusBox = el("practice-status");
  var errorBox = el("practice-error");
  var itemBox = el("item");
  var itemHeading = el("item-heading");
  var reasonBox = el("item-reason");
  var form = el("answer-form");
  var fields = el("answer-fields");
  var hintList = el("hints");
  var hintButton = el("hint-button");
  var answerButton = el("answer-button");
  var feedbackBox = el("feedback");
  var nextButton = el("next-button");
  var endButton = el("end-button");
  var summaryBox = el("summary");

  /* ---- read-aloud, a support of the learner's plan (shown only when the session applies it) -------- */

  var readAloudBox = el("read-aloud");
  var readButton = el("read-aloud-button");
  var speech = window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function"
    ? window.speechSynthesis : null;
  var readingWanted = false; /* the learner asked for it: each new question is read when it comes */
  var readingRun = 0;

  function setReading(reading) {
    if (!readButton) {
      return;
    }
    readButton.textContent = t(reading ? "stopReading" : "readAloud");
    readAloudBox.setAttribute("data-reading", reading ? "true" : "false");
  }

  function stopReading() {
    readingRun += 1;
    if (speech) {
      speech.cancel();
    }
    setReading(false);
  }

  /* The stem, then each option ("Option 1: …"), in the page's language, one utterance each: the words the
   * server wrote for reading (maths said as words, "3 over 4"; an image by its alt text), not the LaTeX. */
  function readItem() {
    if (!speech || !item) {
      return;
    }
    stopReading();
    var run = readingRun;
    var parts = [item.stem_speech || item.stem];
    var spokenChoices = item.choices_speech || item.choices || [];
    spokenChoices.forEach(function (choice, index) {
      parts.push(t("readOption", { number: index + 1, text: choice }));
    });
    var lang = document.documentElement.lang || "";
    setReading(true);
    parts.forEach(function (text, index) {
      var utterance = new window.SpeechSynthesisUtterance(text);
      if (lang) {
        utterance.lang = lang;
      }
      if (index === parts.length - 1) {
        utterance.onend = utterance.onerror = function () {
          if (run === readingRun) {
            setReading(false);
          }
        };
      }
      speech.speak(utterance);
    });
    /* How many utterances the page has queued: for scripts and tests that follow the page. */
    readAloudBox.setAttribute("data-queued", String(Number(readAloudBox.getAttribute("data-queued") || 0) + parts.length));
  }

  if (readAloudBox) {
    if (speech) {
      readButton.hidden = false;
      setReading(false);
      readButton.addEventListener("click", function () {
        if (readAloudBox.getAttribute("data-reading") === "true") {
          readingWanted = false;
          stopReading();
        } else {
          readingWanted = true;
          readItem();
        }
      });
    } else {
      el("read-aloud-missing").hidden = false;
    }
  }

  var item = null;
  var shownAt = null; /* when the item was shown: the answer says how many seconds the learner spent on it */
  var hintsShown = 0;
  var waitingForNext = false;
  var ended = false;

  var OFFLINE_SAVED = t("savedOffline");
  var OFFLINE_NEXT = t("offlineNext");

  function say(text) {
    setText(statusBox, text);
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  /* The one place this page inserts HTML: the *_html fields of the API, which the server rendered from the
   * teacher's Markdown and maths (MathML) and sanitized with an allow-list (curriculum.rich_text: no script,
   * no event handler, no style, images only from the school's uploads). Everything else goes in as text. */
  function setHtml(node, html, fallbackText) {
    if (typeof html === "string") {
      node.innerHTML = html;
    } else {
      node.textContent = fallbackText || "";
    }
    return node;
  }

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function renderItem(next) {
    item = next;
    /* Which item is shown, and how many have been: for scripts and tests that follow the page. */
    itemBox.setAttribute("data-item-id", String(next.id));
    itemBox.setAttribute("data-competency-id", String(next.competency_id));
    itemBox.setAttribute("data-shown", String(Number(itemBox.getAttribute("data-shown") || 0) + 1));
    hintsShown = 0;
    currentClientId = null;
    showError("");
    feedbackBox.hidden = true;
    nextButton.hidden = true;
    fields.textContent = "";
    hintList.textContent = "";
    hintList.hidden = true;

    reasonBox.textContent = "";
    if (next.reason === "review") {
      reasonBox.appendChild(make("span", { "class": "badge" }, t("review")));
      reasonBox.appendChild(document.createTextNode(" " + (next.reason_text || "")));
    } else {
      reasonBox.textContent = next.reason_text || "";
    }
    reasonBox.hidden = !reasonBox.textContent;

    fields.appendChild(setHtml(make("div", { "class": "stem", id: "item-stem" }), next.stem_html, next.stem));
    if (next.kind === "multiple_choice" || next.kind === "multiple_selection") {
      /* One answer: radio buttons; several (multiple selection): checkboxes. The group's name says which. */
      var several = next.kind === "multiple_selection";
      var fieldset = make("fieldset", { "class": "choices", "aria-describedby": "answer-problem" });
      fieldset.appendChild(make("legend", { "class": "choices-legend" }, t(several ? "chooseAll" : "chooseOne")));
      var choicesHtml = next.choices_html || [];
      next.choices.forEach(function (choice, index) {
        var id = "choice-" + index;
        var row = make("div", { "class": "choice" });
        var control = make("input", { type: several ? "checkbox" : "radio", name: "answer", id: id, value: String(index) });
        /* An option that is only maths: not every browser and screen reader names a control from MathML
         * inside its label, so it is named with the server's words for it ("2 over 4"), as read aloud. */
        var spoken = (next.choices_speech || [])[index];
        if (spoken && /<math[\s>]/.test(choicesHtml[index] || "")) {
          control.setAttribute("aria-label", spoken);
        }
        row.appendChild(control);
        row.appendChild(setHtml(make("label", { "for": id }), choicesHtml[index], choice));
        fieldset.appendChild(row);
      });
      fields.appendChild(fieldset);
    } else {
      fields.appendChild(make("label", { "for": "answer-input" }, t(next.kind === "numeric" ? "answerNumber" : "answerText")));
      fields.appendChild(make("span", { "class": "helptext", id: "answer-help" },
        t(next.kind === "numeric" ? "helpNumber" : "helpText")));
      var input = make("input", {
        type: "text",
        id: "answer-input",
        name: "answer",
        autocomplete: "off",
        maxlength: "200",
        "aria-describedby": "item-stem answer-help answer-problem"
      });
      if (next.kind === "numeric") {
        input.setAttribute("inputmode", "decimal");
      }
      fields.appendChild(input);
    }
    fields.appendChild(make("p", { id: "answer-problem", "class": "field-problem", hidden: "" }));

    var hints = next.hints || [];
    hintButton.hidden = hints.length === 0;
    hintButton.disabled = false;
    updateHintButton();
    answerButton.hidden = false;
    answerButton.disabled = false;
    itemBox.hidden = false;
    say("");
    itemHeading.focus();
    shownAt = Date.now();
    /* The next item came with the answer's reply: read it too once the learner has asked for reading. */
    if (readingWanted) {
      readItem();
    } else if (readAloudBox) {
      stopReading();
    }
  }

  function updateHintButton() {
    var hints = (item && item.hints) || [];
    var left = hints.length - hintsShown;
    hintButton.textContent = hintsShown === 0
      ? t("hintFirst", { count: hints.length })
      : t(left > 0 ? "hintMore" : "hintNone", { count: left });
    hintButton.disabled = left <= 0;
  }

  hintButton.addEventListener("click", function () {
    var hints = (item && item.hints) || [];
    if (hintsShown >= hints.length) {
      return;
    }
    var hint = setHtml(make("li", { tabindex: "-1" }), (item.hints_html || [])[hintsShown], hints[hintsShown]);
    hintList.appendChild(hint);
    hintList.hidden = false;
    hintsShown += 1;
    updateHintButton();
    hint.focus();
  });

  function answerValue() {
    if (item.kind === "multiple_choice") {
      var checked = form.querySelector("input[name=answer]:checked");
      return checked ? parseInt(checked.value, 10) : null;
    }
    if (item.kind === "multiple_selection") {
      var selected = Array.prototype.map.call(form.querySelectorAll("input[name=answer]:checked"), function (box) {
        return parseInt(box.value, 10);
      });
      return selected.length ? selected : null;
    }
    var text = el("answer-input").value.trim();
    return text ? text : null;
  }

  function showProblem(text) {
    var problem = el("answer-problem");
    problem.textContent = text;
    problem.hidden = !text;
    var input = el("answer-input");
    if (input) {
      if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      if (text) { input.focus(); }
    } else if (text) {
      var first = form.querySelector("input[name=answer]");
      if (first) { first.focus(); }
    }
  }

  function setFormDisabled(disabled) {
    Array.prototype.forEach.call(form.querySelectorAll("input, button"), function (control) {
      control.disabled = disabled;
    });
    if (!disabled) {
      updateHintButton();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!item || currentClientId) {
      return;
    }
    var value = answerValue();
    if (value === null) {
      var missing = { multiple_choice: "chooseFirst", multiple_selection: "chooseSome" };
      showProblem(t(missing[item.kind] || "typeFirst"));
      return;
    }
    showProblem("");
    showError("");
    var clientId = uuid4();
    currentClientId = clientId;
    enqueue({
      client_id: clientId,
      url: sessionUrl + "/answers",
      payload: { item_id: item.id, answer: value, client_id: clientId, hints_used: hintsShown, seconds: secondsOnItem() },
      stem: item.stem_speech || item.stem,
      queued_at: new Date().toISOString()
    });
    setFormDisabled(true);
    say(t("checking"));
    flush().then(function () {
      if (currentClientId === clientId && queued().some(function (e) { return e.client_id === clientId; })) {
        savedOffline();
      }
    });
  });

  /* Whole seconds from showing the item to sending the answer, at most an hour (the API's limit). */
  function secondsOnItem() {
    if (shownAt === null) {
      return null;
    }
    return Math.max(0, Math.min(3600, Math.round((Date.now() - shownAt) / 1000)));
  }

  var lastStall = null;

  function savedOffline() {
    var busy = lastStall && !lastStall.offline && navigator.onLine !== false;
    say(busy ? t("savedBusy") : OFFLINE_SAVED);
    nextButton.hidden = false;
    updateQueueStatus();
  }

  /* The next item that came with the current answer's reply: no request for it when the learner goes on. */
  var nextFromReply = null;

  listeners.sent.push(function (entry, result) {
    if (entry.client_id === currentClientId) {
      nextFromReply = result.data.next_item || null;
      renderFeedback(result.data);
    }
  });
  listeners.rejected.push(function (entry, result) {
    if (entry.client_id === currentClientId) {
      currentClientId = null;
      say("");
      showError(t("notAccepted", { detail: result.detail }));
      setFormDisabled(false);
      nextButton.hidden = true;
      var firstControl = form.querySelector("input:not([disabled])");
      if (firstControl) {
        firstControl.focus(); /* back to the answer, with the reason read out by the alert */
      }
    }
  });
  listeners.stalled.push(function (entry, result) {
    lastStall = result;
    if (result.status === 401) {
      showError(t("signInEnded"));
    }
  });

  function renderFeedback(data) {
    waitingForNext = false; /* an answer sent after being offline: show its result before moving on */
    el("feedback-heading").textContent = t(data.correct ? "right" : "wrong");
    feedbackBox.classList.toggle("is-right", !!data.correct);
    feedbackBox.classList.toggle("is-wrong", !data.correct);
    setHtml(el("feedback-text"), data.feedback_html, data.feedback || "");
    /* The server's whole percentage, the number every page shows (a reply stored before it had none). */
    var percent = typeof data.mastery_percent === "number" ? data.mastery_percent
      : Math.floor(Math.max(0, Math.min(1, data.mastery_level || 0)) * 100);
    el("mastery-label").textContent = t("masteryOf", { name: data.competency_name || "" });
    el("mastery-bar").value = percent;
    el("mastery-bar").textContent = percent + "%";
    el("mastery-percent").textContent = percent + "%";
    el("mastery-explanation").textContent = data.explanation || "";
    el("feedback-mastery").hidden = false;

    /* "Mastered!" celebrates the answer that made it mastered, not every later one. */
    var mastered = el("feedback-mastered");
    mastered.textContent = data.newly_mastered ? t("mastered", { name: data.competency_name || "" }) : "";
    if (data.newly_mastered && data.next_review_at) {
      mastered.textContent += " " + t("reviewOn", { date: new Date(data.next_review_at).toLocaleDateString(document.documentElement.lang || undefined) });
    }
    mastered.hidden = !data.newly_mastered;

    var unlocks = el("feedback-unlocks");
    unlocks.textContent = "";
    var unlocked = data.unlocked || [];
    if (unlocked.length) {
      unlocks.appendChild(document.createTextNode(t("unlocks") + " "));
      unlocked.forEach(function (competency, index) {
        if (index) {
          unlocks.appendChild(document.createTextNode(", "));
        }
        unlocks.appendChild(make("a", { href: masteryUrl + "#competency-" + competency.id }, competency.name));
      });
    }
    unlocks.hidden = unlocked.length === 0;

    feedbackBox.hidden = false;
    /* The live status region announces the verdict (a region filled while hidden often is not read). */
    say(t(data.correct ? "right" : "wrong") + " " + t("masteryOf", { name: data.competency_name || "" }) + " " + percent + "%");
    nextButton.hidden = false;
    nextButton.focus();
  }

  function loadNext() {
    if (ended) {
      return;
    }
    waitingForNext = true;
    flush().then(function () {
      if (!waitingForNext) {
        return null;
      }
      if (queued(sessionUrl).length) {
        say(OFFLINE_NEXT);
        return null;
      }
      if (nextFromReply) {
        waitingForNext = false;
        renderItem(nextFromReply);
        nextFromReply = null;
        return null;
      }
      say(t("loadingNext"));
      return api("GET", sessionUrl + "/next").then(function (result) {
        if (result.ok) {
          waitingForNext = false;
          renderItem(result.data);
        } else if (result.offline) {
          say(OFFLINE_NEXT);
        } else {
          waitingForNext = false;
          itemBox.hidden = true;
          nextButton.hidden = true;
          say("");
          showError(result.detail);
          if (result.status === 409) {
            endButton.hidden = true;
            ended = true;
            endSession();
          }
        }
      });
    });
  }

  nextButton.addEventListener("click", function () {
    nextButton.hidden = true;
    loadNext();
  });

  function endSession() {
    flush().then(function () {
      if (queued(sessionUrl).length) {
        say("");
        showError(t("pendingEnd"));
        return null;
      }
      return api("POST", sessionUrl + "/end", {}).then(function (result) {
        if (!result.ok) {
          showError(result.offline ? t("offlineEnd") : result.detail);
          return;
        }
        ended = true;
        if (readAloudBox) {
          stopReading();
        }
        var data = result.data;
        itemBox.hidden = true;
        feedbackBox.hidden = true;
        nextButton.hidden = true;
        endButton.hidden = true;
        say("");
        el("summary-text").textContent = t(data.answers === 1 ? "summaryOne" : "summaryMany", {
          count: data.answers,
          correct: data.correct
        });
        var list = el("summary-mastered-list");
        list.textContent = "";
        (data.mastered || []).forEach(function (competency) {
          var li = make("li");
          li.appendChild(make("a", { href: masteryUrl + "#competency-" + competency.id }, competency.name));
          list.appendChild(li);
        });
        el("summary-mastered").hidden = !(data.mastered || []).length;
        summaryBox.hidden = false;
        el("summary-heading").focus();
      });
    });
  }

  endButton.addEventListener("click", function () {
    showError("");
    endSession();
  });

  window.addEventListener("online", function () {
    if (waitingForNext) {
      loadNext();
    }
  });
  window.addEventListener("offline", function () {
    if (currentClientId && queued().some(function (e) { return e.client_id === currentClientId; })) {
      savedOffline();
    }
  });

  loadNext();
})();
