// A recorded pitch's picture and sound are separate files when ffmpeg did not join them after
// janus-pp-rec (not installed, or it failed; Janus records each stream apart): the sound
// follows the video's play, pause, seeking and speed, so the captions, the picture and the
// voice stay together. The sound's own controls still work on their own.
(function () {
  "use strict";
  var video = document.getElementById("recording-video");
  if (!video || !video.dataset.sound) { return; }
  var sound = document.getElementById(video.dataset.sound);
  if (!sound) { return; }
  var DRIFT_S = 0.3;
  function align() {
    if (Math.abs(sound.currentTime - video.currentTime) > DRIFT_S) {
      sound.currentTime = video.currentTime;
    }
  }
  video.addEventListener("play", function () {
    align();
    var playing = sound.play();
    if (playing && playing.catch) { playing.catch(function () { /* the reader plays it by hand */ }); }
  });
  video.addEventListener("pause", function () { sound.pause(); });
  video.addEventListener("seeked", align);
  video.addEventListener("timeupdate", function () { if (!video.paused) { align(); } });
  video.addEventListener("ratechange", function () { sound.playbackRate = video.playbackRate; });
  video.addEventListener("volumechange", function () { sound.muted = video.muted; });
})();
