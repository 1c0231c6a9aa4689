// Captions under the stage's video: who is on stage (or the host) writes a line, the whole room
// reads the last few (inserted as text, never as HTML). The form shows with the camera buttons.
(function () {
  "use strict";
  var root = document.getElementById("live-room");
  var box = document.getElementById("video-captions");
  if (!root || !box || !window.RoadshowLive) { return; }
  var socket = window.RoadshowLive.socket;
  var lang = root.dataset.lang === "zh" ? "zh" : "en";
  var KEEP = 4;
  socket.on("rtc_caption", function (caption) {
    var line = document.createElement("p");
    line.className = "mb-0";
    var name = document.createElement("span");
    name.className = "fw-semibold me-1";
    name.textContent = (lang === "zh" ? caption.name_zh : caption.name_en) || caption.name_en || "";
    line.appendChild(name);
    line.appendChild(document.createTextNode(caption.text));
    box.appendChild(line);
    while (box.children.length > KEEP) { box.removeChild(box.firstChild); }
    box.classList.remove("d-none");
  });
  var form = document.getElementById("video-caption-form");
  if (!form) { return; }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var input = document.getElementById("video-caption-text");
    var result = document.getElementById("video-caption-result");
    socket.emit("video_caption", { text: input.value }, function (answer) {
      if (answer && answer.ok) { input.value = ""; result.textContent = ""; return; }
      result.textContent = (answer && answer.message) || "";  // the text stays for another try
      result.className = "small text-danger";
    });
  });
})();
