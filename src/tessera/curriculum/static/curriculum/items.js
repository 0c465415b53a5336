/* The question bank's small script (no inline scripts: strict CSP). Without it the pages still work: the
 * editor's Preview button re-renders the page with the preview.
 *
 * - Read aloud: a preview's button says its words (the server's text_speech of the stem and options)
 *   with the browser's speech synthesis, in the item's language; hidden where the browser cannot speak.
 * - Live preview: while the teacher types, the editor's fields are posted to the preview endpoint (after a
 *   pause) and the answer replaces the preview region. Nothing is saved.
 */
(function () {
  "use strict";

  var speech = window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function"
    ? window.speechSynthesis : null;

  function readAloudReady(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".read-aloud"), function (box) {
      var button = box.querySelector(".read-aloud-button");
      var missing = box.querySelector(".read-aloud-missing");
      if (speech && button) {
        button.hidden = false;
        if (missing) {
          missing.hidden = true;
        }
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".read-aloud-button") : null;
    if (!button || !speech) {
      return;
    }
    var box = button.closest(".read-aloud");
    speech.cancel();
    var utterance = new window.SpeechSynthesisUtterance(box.getAttribute("data-speech") || "");
    utterance.lang = box.getAttribute("data-lang") || document.documentElement.lang || "";
    speech.speak(utterance);
  });

  readAloudReady(document);

  var form = document.getElementById("item-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var sent = 0;

  function refresh() {
    var body = new FormData(form);
    body.set("action", "preview");
    var mine = ++sent;
    window.fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine !== sent) {
          return; /* a later edit's preview is on its way */
        }
        var current = document.getElementById("item-preview");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#item-preview");
        if (current && fresh) {
          current.replaceWith(fresh);
          readAloudReady(fresh);
        }
      })
      .catch(function () { /* offline: the Preview button still works once back */ });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  });
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 200);
  });
}());
