// Lore: the unread-notifications badge in the header, kept current by server-sent events
// from /notifications/stream. Without JavaScript the badge shows the count at page load.
(function () {
  "use strict";
  var badge = document.getElementById("unread-count");
  if (!badge || !window.EventSource) {
    return;
  }
  var baseTitle = document.title.replace(/^\(\d+\) /, "");
  var source = new EventSource("/notifications/stream");
  source.addEventListener("unread", function (event) {
    var n = parseInt(event.data, 10) || 0;
    badge.textContent = String(n);
    badge.hidden = n === 0;
    badge.setAttribute("aria-label", n + " unread");
    document.title = n > 0 ? "(" + n + ") " + baseTitle : baseTitle;
  });
})();
