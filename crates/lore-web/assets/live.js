// Lore: the unread-notifications badge in the header (and on the phone's Menu button), kept current by server-sent events
// from /notifications/stream. Without JavaScript the badge shows the count at page load.
//
// The stream is closed when the page is hidden (navigation, back/forward cache) and opened
// again when it shows: browsers allow six connections per server over HTTP/1.1, and pages
// kept in the back/forward cache with an open stream would use them all up.
(function () {
  "use strict";
  var badge = document.getElementById("unread-count");
  if (!badge || !window.EventSource) {
    return;
  }
  // The same count on the phone's Menu button, so a closed menu does not hide it.
  var mirror = document.getElementById("menu-unread");
  var baseTitle = document.title.replace(/^\(\d+\) /, "");
  var source = null;

  function show(n) {
    badge.textContent = String(n);
    badge.hidden = n === 0;
    badge.setAttribute("aria-label", n + " unread");
    if (mirror) {
      mirror.querySelector(".n").textContent = String(n);
      mirror.hidden = n === 0;
    }
    document.title = n > 0 ? "(" + n + ") " + baseTitle : baseTitle;
  }

  function open() {
    if (source) {
      return;
    }
    source = new EventSource("/notifications/stream");
    source.addEventListener("unread", function (event) {
      show(parseInt(event.data, 10) || 0);
    });
  }

  function close() {
    if (source) {
      source.close();
      source = null;
    }
  }

  window.addEventListener("pagehide", close);
  window.addEventListener("pageshow", open);
  open();
})();
