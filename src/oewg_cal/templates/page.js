(function () {
  "use strict";
  // Everything here is extra: the page reads the same without script.
  // 1. Under each meeting's time, the same time in the reader's own zone (when it differs
  //    from the duty station's). Each meeting carries its UTC instants in data-start/-end.
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var day = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
  var clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  document.querySelectorAll("section.programme[data-zone]").forEach(function (section) {
    if (!zone || section.getAttribute("data-zone") === zone) {
      return;
    }
    section.querySelectorAll(".meeting[data-start]").forEach(function (meeting) {
      var start = new Date(meeting.getAttribute("data-start"));
      var end = new Date(meeting.getAttribute("data-end"));
      var local = document.createElement("span");
      var times = clock.format(start) + (end > start ? "–" + clock.format(end) : "");
      local.className = "local";
      local.textContent = day.format(start) + ", " + times + " your time";
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
