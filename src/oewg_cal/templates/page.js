(function () {
  "use strict";
  // Everything here is extra: the page reads the same without script.
  // 1. Under each meeting's time, the same time in the reader's own zone (when it differs
  //    from the duty station's). Each meeting carries its UTC instants: data-start, and
  //    data-end unless it is a deadline; a day given without a time carries neither and
  //    is left alone. An assumed end is written in brackets, like the duty station's, and
  //    an end on another day than the start (here) is written with its day.
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var day = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
  var clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  var MINUTE = 60 * 1000;
  function localTimes(meeting) {
    var start = new Date(meeting.getAttribute("data-start"));
    var text = day.format(start) + ", " + clock.format(start);
    if (!meeting.hasAttribute("data-end")) {
      return text;
    }
    var end = new Date(meeting.getAttribute("data-end"));
    var until = clock.format(end);
    if (meeting.hasAttribute("data-end-assumed")) {
      until = "(" + until + ")";
    }
    // a meeting that ends at midnight ends on its own day
    if (day.format(new Date(end.getTime() - MINUTE)) !== day.format(start)) {
      return text + " – " + day.format(end) + ", " + until;
    }
    return text + "–" + until;
  }
  document.querySelectorAll("section.programme[data-zone]").forEach(function (section) {
    if (!zone || section.getAttribute("data-zone") === zone) {
      return;
    }
    section.querySelectorAll(".meeting[data-start]").forEach(function (meeting) {
      var local = document.createElement("span");
      local.className = "local";
      local.textContent = localTimes(meeting) + " your time";
      meeting.querySelector(".when").appendChild(local);
    });
    section.querySelectorAll(".local-zone").forEach(function (name) { name.textContent = zone; });
    section.querySelectorAll(".local-note").forEach(function (note) { note.hidden = false; });
  });

  // 2. A button that copies the feed's address (only where the clipboard can be used).
  var button = document.getElementById("copy-feed");
  var link = document.getElementById("feed-link");
  var status = document.getElementById("copy-status");
  if (button && link && status && navigator.clipboard && window.isSecureContext) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () { status.textContent = "Address copied."; },
        function () { status.textContent = "Could not copy: select the address and copy it."; }
      );
    });
  }
})();
