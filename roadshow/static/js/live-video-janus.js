// The live stage's video through Janus (VideoRoom), when the server configures it: the presenter
// uploads once, with simulcast, and the media server forwards to every viewer. live-video.js
// decides when to publish and whom to watch; this file only speaks to Janus (vendor/janus.js).
// The publisher token comes from Roadshow (the stage's say) and is refused in any other room.
(function () {
  "use strict";
  if (typeof Janus === "undefined") { return; }
  var ready = null;
  function init() {
    if (!ready) {
      ready = new Promise(function (resolve) {
        Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies(), callback: resolve });
      });
    }
    return ready;
  }

  window.RoadshowJanus = function (cfg, hooks) {
    var session = null;
    var publisher = null;   // the VideoRoom handle this page publishes on
    var feeds = {};         // publisher's connection id -> { handle, mids }
    function connect() {
      if (session) { return session; }
      session = init().then(function () {
        return new Promise(function (resolve, reject) {
          var janus = new Janus({
            server: cfg.url, apisecret: cfg.api_secret || undefined,
            iceServers: cfg.ice_servers && cfg.ice_servers.length ? cfg.ice_servers : undefined,
            success: function () { resolve(janus); },
            error: function (cause) { session = null; hooks.onError(String(cause)); reject(cause); },
          });
        });
      });
      return session;
    }
    function attach(callbacks) {
      return connect().then(function (janus) {
        return new Promise(function (resolve, reject) {
          var options = { plugin: "janus.plugin.videoroom", success: resolve, error: reject };
          Object.keys(callbacks).forEach(function (k) { options[k] = callbacks[k]; });
          janus.attach(options);
        });
      });
    }
    function pcOf(handle) { return handle && handle.webrtcStuff ? handle.webrtcStuff.pc : null; }

    function publish(token, stream, video, onUp) {
      var audio = stream.getAudioTracks()[0];
      attach({
        onmessage: function (msg, jsep) {
          if (msg.videoroom === "joined") {
            var tracks = [];
            if (audio) { tracks.push({ type: "audio", capture: audio, recv: false }); }
            tracks.push({ type: "video", capture: video || false, recv: false, simulcast: true });
            publisher.createOffer({
              tracks: tracks,
              success: function (offer) { publisher.send({ message: { request: "publish", audio: !!audio, video: true }, jsep: offer }); },
              error: function (cause) { hooks.onError(String(cause && cause.message || cause)); },
            });
          } else if (msg.error_code) {
            hooks.onError(msg.error || String(msg.error_code));
          } else if (msg.videoroom === "event" && (msg.leaving === "ok" || msg.kicked === cfg.id)) {
            hooks.onStopped();
          }
          if (jsep) { publisher.handleRemoteJsep({ jsep: jsep }); }
        },
        webrtcState: function (up) { if (up) { onUp(pcOf(publisher)); } else { hooks.onStopped(); } },
        oncleanup: function () { /* the page already let go */ },
      }).then(function (handle) {
        publisher = handle;
        handle.send({ message: { request: "join", ptype: "publisher", room: cfg.room, pin: cfg.pin,
                                 id: cfg.id, token: token, display: String(cfg.id) } });
      }).catch(function (cause) { hooks.onError(String(cause)); });
    }
    function unpublish() {
      if (!publisher) { return; }
      var handle = publisher;
      publisher = null;
      try { handle.send({ message: { request: "leave" } }); } catch (e) { /* gone already */ }
      handle.hangup();
      handle.detach();
    }
    function replaceVideo(track) {
      if (!publisher) { return; }
      publisher.replaceTracks({ tracks: [{ type: "video", mid: "1", capture: track || false }] });
    }

    function subscribe(sid, feedId, attempt) {
      var entry = { handle: null, mids: {}, stream: new MediaStream(), watchdog: null };
      feeds[sid] = entry;
      // a subscription that brings no picture in a while is made again (a lost answer, a
      // publisher that was not quite up)
      entry.watchdog = setTimeout(function () {
        if (feeds[sid] === entry && !entry.stream.getTracks().length && (attempt || 0) < 30) {
          unsubscribe(sid);
          subscribe(sid, feedId, (attempt || 0) + 1);
        }
      }, 8000);
      attach({
        onmessage: function (msg, jsep) {
          if (msg.error_code === 428 && (attempt || 0) < 30 && feeds[sid] === entry) {
            // the publisher's picture is not up yet: try again in a moment
            unsubscribe(sid);
            setTimeout(function () { if (!feeds[sid]) { subscribe(sid, feedId, (attempt || 0) + 1); } }, 700);
            return;
          }
          if (jsep && entry.handle) {
            entry.handle.createAnswer({
              jsep: jsep, tracks: [{ type: "data" }],
              success: function (answer) { entry.handle.send({ message: { request: "start", room: cfg.room }, jsep: answer }); },
              error: function (cause) { hooks.onError(String(cause && cause.message || cause)); },
            });
          }
        },
        onremotetrack: function (track, mid, on) {
          if (!on) { return; }
          entry.mids[track.kind] = mid;
          entry.stream.getTracks().filter(function (t) { return t.kind === track.kind; }).forEach(function (t) { entry.stream.removeTrack(t); });
          entry.stream.addTrack(track);
          hooks.onRemoteStream(sid, entry.stream, pcOf(entry.handle));
        },
        oncleanup: function () { /* detached below */ },
      }).then(function (handle) {
        if (feeds[sid] !== entry) { handle.detach(); return; }
        entry.handle = handle;
        handle.send({ message: { request: "join", ptype: "subscriber", room: cfg.room, pin: cfg.pin,
                                 streams: [{ feed: feedId }] } });
        adapt(sid, entry);
      }).catch(function (cause) { hooks.onError(String(cause)); });
    }
    // simulcast: a phone starts on the middle layer; a link that loses packets or frames drops
    // to the lowest, and goes back up after it has been good for a while
    function adapt(sid, entry) {
      var layer = window.innerWidth < 600 ? 1 : 2, good = 0, last = null;
      if (layer !== 2) { setTimeout(function () { configure(sid, { substream: layer }); }, 1500); }
      entry.adapting = setInterval(function () {
        var pc = pcOf(entry.handle);
        if (feeds[sid] !== entry) { clearInterval(entry.adapting); return; }
        if (!pc) { return; }
        pc.getStats().then(function (report) {
          report.forEach(function (s) {
            if (s.type !== "inbound-rtp" || s.kind !== "video") { return; }
            var now = { lost: s.packetsLost || 0, received: s.packetsReceived || 0 };
            var loss = last ? (now.lost - last.lost) / Math.max(1, now.lost - last.lost + now.received - last.received) : 0;
            last = now;
            var weak = loss > 0.05 || (s.framesPerSecond !== undefined && s.framesPerSecond < 8);
            if (weak && layer > 0) { layer = 0; good = 0; configure(sid, { substream: 0 }); }
            else if (!weak && layer === 0 && ++good >= 5) { layer = window.innerWidth < 600 ? 1 : 2; configure(sid, { substream: layer }); }
          });
        });
      }, 3000);
    }
    function unsubscribe(sid) {
      var entry = feeds[sid];
      delete feeds[sid];
      if (entry) { clearTimeout(entry.watchdog); clearInterval(entry.adapting); }
      if (entry && entry.handle) { entry.handle.hangup(); entry.handle.detach(); }
    }
    // sound only, or the lowest simulcast layer for a weak link
    function configure(sid, options) {
      var entry = feeds[sid];
      if (!entry || !entry.handle || entry.mids.video === undefined) { return; }
      var stream = { mid: entry.mids.video };
      if (options.audioOnly !== undefined) { stream.send = !options.audioOnly; }
      if (options.substream !== undefined) { stream.substream = options.substream; }
      entry.handle.send({ message: { request: "configure", streams: [stream] } });
    }
    function restartIce() {
      if (publisher) { publisher.createOffer({ iceRestart: true, tracks: [], success: function (o) { publisher.send({ message: { request: "configure" }, jsep: o }); } }); }
      Object.keys(feeds).forEach(function (sid) { var h = feeds[sid].handle; if (h) { h.send({ message: { request: "configure", restart: true } }); } });
    }
    return { publish: publish, unpublish: unpublish, replaceVideo: replaceVideo, subscribe: subscribe,
             unsubscribe: unsubscribe, configure: configure, restartIce: restartIce };
  };
})();
