// Keeps each child's feed list live through its server-sent event stream (no inline script: strict CSP).
// The page renders the recent events and the cursor to continue from; EventSource reconnects by itself
// and sends Last-Event-ID, so the server replays what was missed; an id already shown is never added twice.
(function () {
  "use strict";
  if (!("EventSource" in window)) return;

  function follow(list) {
    var section = list.closest("section");
    var status = section && section.querySelector("[data-feed-status]");
    var url = list.getAttribute("data-feed-stream");
    var cursor = list.getAttribute("data-feed-cursor");
    if (cursor && cursor !== "0") url += "?last_event_id=" + encodeURIComponent(cursor);
    var source = new EventSource(url);

    source.addEventListener("feed", function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (list.querySelector('[data-event-id="' + String(event.id) + '"]')) return;
      var item = document.createElement("li");
      item.id = "event-" + event.id;
      item.setAttribute("data-event-id", String(event.id));
      var link = document.createElement("a");
      link.href = event.link;
      link.textContent = event.text;
      item.appendChild(link);
      list.insertBefore(item, list.firstChild);
      var empty = section && section.querySelector("[data-feed-empty]");
      if (empty) empty.remove();
    });
    source.addEventListener("open", function () {
      if (status) status.textContent = status.getAttribute("data-live");
    });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED && status) {
        status.textContent = status.getAttribute("data-stopped");
      } else if (status) {
        status.textContent = status.getAttribute("data-reconnecting");
      }
    });
  }

  document.querySelectorAll("[data-feed-stream]").forEach(follow);
})();
