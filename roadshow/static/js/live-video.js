// Video on the live stage without a media server: the browsers send each other their pictures
// (WebRTC), signalled over live.js's /live connection. The server decides who may publish (the
// stage: the presenter of the item on stage, the district presenting, the host, the guests the
// host brought on); this page only mirrors that rule to show its buttons.
(function () {
  "use strict";
  var root = document.getElementById("live-room");
  var area = document.getElementById("video-area");
  if (!root || !area || !window.RoadshowLive) { return; }
  var T = JSON.parse(area.dataset.strings || "{}");
  var lang = root.dataset.lang === "zh" ? "zh" : "en";
  var socket = window.RoadshowLive.socket;
  var role = root.dataset.role;
  var myId = parseInt(root.dataset.userId, 10);
  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className || "";
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function fmt(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (_, key) { return values && values[key] !== undefined ? values[key] : ""; });
  }
  function pick(obj, field) { return (obj && (obj[field + "_" + lang] || obj[field + "_en"])) || ""; }
  function notice(text, kind) {
    var box = $("video-notice");
    box.textContent = text || "";
    box.className = "alert alert-" + (kind || "info") + " py-2 small" + (text ? "" : " d-none");
  }
  if (!window.RTCPeerConnection || !navigator.mediaDevices) { notice(T.unsupported, "warning"); return; }

  var me = { presents: [], districtId: null };
  var config = { mesh_limit: 8, ice_servers: [] };
  var stage = null;
  var mySid = null;          // this connection's id when the snapshot came (a reconnect changes it)
  var local = { camera: null, screen: null, publishing: false, micOff: false, audioOnly: false };
  var outgoing = {};         // viewer's connection id -> { pc, audioOnly }
  var incoming = {};         // publisher's connection id -> { pc, tile, info }
  var watchingAudioOnly = false;
  var janusMedia = null;     // Janus (live-video-janus.js) when the server configures it
  var crowded = false;

  // --- the rule, as the server has it (roadshow/live/media.py) ------------------------------
  function mayPublish() {
    if (!stage || !stage.opened || stage.phase === "closed") { return false; }
    if (role === "host") { return true; }
    if ((stage.guests || []).indexOf(myId) >= 0) { return true; }
    var item = stage.current === null || stage.current === undefined ? null : stage.items[stage.current];
    if (!item) { return false; }
    if (role === "presenter") {
      return item.kind === "pitch" && ["pitch", "qa", "scoring"].indexOf(stage.phase) >= 0 && me.presents.indexOf(item.application_id) >= 0;
    }
    if (role === "district") { return item.kind === "district" && stage.phase === "district" && item.district_id === me.districtId; }
    return false;
  }

  function newPeer(peerSid) {
    var pc = new RTCPeerConnection({ iceServers: config.ice_servers || [] });
    pc.onicecandidate = function (e) {
      if (e.candidate) { signal(peerSid, "candidate", { candidate: e.candidate.toJSON ? e.candidate.toJSON() : e.candidate }); }
    };
    return pc;
  }
  function signal(to, kind, extra) {
    var payload = { to: to, kind: kind };
    Object.keys(extra || {}).forEach(function (k) { payload[k] = extra[k]; });
    socket.emit("rtc_signal", payload, function (answer) {
      if (answer && !answer.ok && answer.error === "not_on_stage") { stopPublishing(answer.message); }
    });
  }
  function plain(description) { return { type: description.type, sdp: description.sdp }; }
  function candidateOf(raw) { return { candidate: raw.candidate, sdpMid: raw.sdpMid, sdpMLineIndex: raw.sdpMLineIndex, usernameFragment: raw.usernameFragment }; }

  // --- publishing ---------------------------------------------------------------------------
  function sending() { return local.screen || local.camera; }
  function videoTrack() {
    var stream = sending();
    return local.audioOnly || !stream ? null : (stream.getVideoTracks()[0] || null);
  }
  function camera() {
    if (local.camera) { return Promise.resolve(local.camera); }
    return navigator.mediaDevices.getUserMedia({ audio: deviceChoice("video-mic-select", true), video: deviceChoice("video-camera-select", { width: { ideal: 1280 }, height: { ideal: 720 } }) })
      .catch(function () { return navigator.mediaDevices.getUserMedia({ audio: true, video: false }); })
      .then(function (stream) { local.camera = stream; return stream; });
  }
  function deviceChoice(selectId, fallback) {
    var select = $(selectId);
    if (!select || !select.value) { return fallback; }
    var choice = typeof fallback === "object" ? JSON.parse(JSON.stringify(fallback)) : {};
    choice.deviceId = { exact: select.value };
    return choice;
  }
  function startPublishing() {
    hideCheck();
    camera().then(function (stream) {
      showPreview(stream);
      socket.emit("rtc_publish", { screen: !!local.screen, audio_only: local.audioOnly }, function (answer) {
        if (!answer || !answer.ok) { notice((answer && answer.message) || T.failed, "warning"); releaseCamera(); return; }
        mySid = answer.sid;
        local.publishing = true;
        if (janusMedia) {
          janusMedia.publish(answer.token, sending(), videoTrack(), function (pc) { outgoing.janus = { pc: pc }; announce(); });
        }
        config.mesh_limit = answer.mesh_limit || config.mesh_limit;
        applyMic();
        renderControls();
        notice(T.on_air, "success");
      });
    }).catch(function () { notice(T.no_devices, "warning"); });
  }
  function announce() {
    if (local.publishing) { socket.emit("rtc_publish", { screen: !!local.screen, audio_only: local.audioOnly, ready: true }); }
  }
  function stopPublishing(message) {
    var was = local.publishing;
    if (janusMedia) { janusMedia.unpublish(); outgoing = {}; }
    Object.keys(outgoing).forEach(function (sid) { outgoing[sid].pc.close(); delete outgoing[sid]; });
    if (local.screen) { local.screen.getTracks().forEach(function (t) { t.stop(); }); local.screen = null; }
    releaseCamera();
    local.publishing = false;
    if (was) { socket.emit("rtc_unpublish", {}); }
    renderControls();
    renderQuality(null);
    if (message) { notice(message, "secondary"); }
  }
  function releaseCamera() {
    if (local.camera) { local.camera.getTracks().forEach(function (t) { t.stop(); }); local.camera = null; }
    var preview = $("video-self");
    if (preview) { preview.srcObject = null; preview.classList.add("d-none"); }
  }
  function showPreview(stream) { $("video-self").srcObject = stream; $("video-self").classList.remove("d-none"); }
  function offerTo(viewerSid, iceRestart) {
    if (!local.publishing) { return; }
    var known = outgoing[viewerSid];
    if (!known && Object.keys(outgoing).length >= config.mesh_limit) { signal(viewerSid, "full", {}); return; }
    if (known && !iceRestart) { known.pc.close(); known = null; }
    var entry = known || { pc: newPeer(viewerSid), audioOnly: false };
    outgoing[viewerSid] = entry;
    if (!known) {
      var stream = sending();
      stream.getAudioTracks().forEach(function (t) { entry.pc.addTrack(t, stream); });
      var video = videoTrack();
      var transceiver = entry.pc.addTransceiver("video", { direction: "sendonly", streams: [stream] });
      if (video) { transceiver.sender.replaceTrack(video); }
      entry.video = transceiver.sender;
      entry.pc.oniceconnectionstatechange = function () {
        if (entry.pc.iceConnectionState === "failed") { offerTo(viewerSid, true); }
      };
    }
    entry.pc.createOffer(iceRestart ? { iceRestart: true } : {}).then(function (offer) {
      return entry.pc.setLocalDescription(offer);
    }).then(function () { signal(viewerSid, "offer", { description: plain(entry.pc.localDescription) }); })
      .catch(function () { /* the viewer asks again */ });
  }
  function replaceVideo() {
    var track = videoTrack();
    if (janusMedia) { janusMedia.replaceVideo(track); }
    Object.keys(outgoing).forEach(function (sid) {
      var entry = outgoing[sid];
      if (entry.video) { entry.video.replaceTrack(entry.audioOnly ? null : track); }
    });
    var preview = $("video-self");
    if (preview && sending()) { preview.srcObject = sending(); }
  }
  function applyMic() {
    [local.camera].forEach(function (stream) {
      if (stream) { stream.getAudioTracks().forEach(function (t) { t.enabled = !local.micOff; }); }
    });
    renderControls();
  }
  function shareScreen() {
    if (!navigator.mediaDevices.getDisplayMedia) { notice(T.no_screen, "warning"); return; }
    navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }).then(function (screen) {
      var audio = local.camera ? local.camera.getAudioTracks() : [];
      audio.forEach(function (t) { screen.addTrack(t); });
      local.screen = screen;
      screen.getVideoTracks()[0].addEventListener("ended", endScreen);
      replaceVideo();
      announce();
      renderControls();
    }).catch(function () { notice(T.no_screen, "warning"); });
  }
  function endScreen() {
    if (!local.screen) { return; }
    local.screen.getVideoTracks().forEach(function (t) { t.stop(); });
    local.screen = null;
    replaceVideo();
    announce();
    renderControls();
  }

  // --- watching -----------------------------------------------------------------------------
  function watchAll() { socket.emit("rtc_watch", { to: null }); }
  function closeIncoming(sid) {
    var entry = incoming[sid];
    if (!entry) { return; }
    if (janusMedia) { janusMedia.unsubscribe(sid); } else if (entry.pc) { entry.pc.close(); }
    if (entry.tile) { entry.tile.remove(); }
    delete incoming[sid];
    renderTiles();
  }
  function receiveOffer(from, message) {
    var entry = incoming[from];
    if (!entry) {
      entry = { pc: newPeer(from), tile: null, info: { user_id: message.user_id } };
      incoming[from] = entry;
      entry.pc.ontrack = function (e) {
        ensureTile(from);
        var video = entry.tile.querySelector("video");
        if (video.srcObject !== e.streams[0]) { video.srcObject = e.streams[0]; }
        video.muted = !soundOn;
        var played = video.play();
        if (played && played.catch) { played.catch(function () { /* muted autoplay goes on */ }); }
      };
      entry.pc.oniceconnectionstatechange = function () {
        if (entry.pc.iceConnectionState === "failed") { socket.emit("rtc_watch", { to: from }); }
      };
    }
    entry.pc.setRemoteDescription(message.description).then(function () {
      return entry.pc.createAnswer();
    }).then(function (answer) { return entry.pc.setLocalDescription(answer); })
      .then(function () {
        signal(from, "answer", { description: plain(entry.pc.localDescription) });
        if (watchingAudioOnly) { signal(from, "audio_only", { on: true }); }
      }).catch(function () { closeIncoming(from); });
  }
  function ensureTile(sid) {
    var entry = incoming[sid];
    if (entry.tile) { return entry.tile; }
    var tile = el("figure", "live-video-tile mb-0");
    tile.dataset.sid = sid;
    var video = el("video", "live-video-picture bg-dark rounded w-100");
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;
    video.setAttribute("aria-label", T.picture);
    tile.appendChild(video);
    var caption = el("figcaption", "small text-muted d-flex flex-wrap align-items-center gap-1");
    tile.appendChild(caption);
    entry.tile = tile;
    $("video-tiles").appendChild(tile);
    renderTile(sid);
    renderTiles();
    return tile;
  }
  function renderTile(sid) {
    var entry = incoming[sid];
    if (!entry || !entry.tile) { return; }
    var caption = entry.tile.querySelector("figcaption");
    while (caption.firstChild) { caption.removeChild(caption.firstChild); }
    var info = entry.info || {};
    var name = pick(info, "name") || T.presenter;
    caption.appendChild(el("span", "fw-semibold", name));
    if (info.screen) { caption.appendChild(el("span", "badge bg-info text-dark", T.screen_badge)); }
    if (role === "host" && info.user_id) {
      // with a media server the mute and the end of a share are its own: it stops forwarding
      // the sound (the picture) to everyone until the host lets it back
      var stopped = blocked[info.user_id] || [];
      var muted = stopped.indexOf("audio") >= 0, held = stopped.indexOf("video") >= 0;
      hostButton(caption, muted ? T.unmute_them : T.mute_them, function () { control(info.user_id, muted ? "unmute" : "mute", sid); });
      if (held) { hostButton(caption, T.allow_their_video, function () { control(info.user_id, "allow_video", sid); }); }
      else if (info.screen) { hostButton(caption, T.end_their_screen, function () { control(info.user_id, "end_screen", sid); }); }
      if ((stage && stage.guests || []).indexOf(info.user_id) >= 0) {
        hostButton(caption, T.take_off, function () { socket.emit("video_guest", { user_id: info.user_id, on: false }); });
      } else {
        hostButton(caption, T.stop_them, function () { socket.emit("video_control", { user_id: info.user_id, action: "stop" }); });
      }
    }
  }
  var blocked = {};          // user id -> what the host stopped of them ("audio", "video")
  function control(userId, action, sid) {
    socket.emit("video_control", { user_id: userId, action: action }, function (answer) {
      if (!answer || !answer.ok) { notice((answer && answer.message) || T.failed, "warning"); return; }
      blocked[userId] = answer.blocked || [];
      renderTile(sid);
    });
  }
  function hostButton(parent, label, onClick) {
    var button = el("button", "btn btn-sm btn-outline-danger py-0", label);
    button.type = "button";
    button.addEventListener("click", onClick);
    parent.appendChild(button);
  }
  function renderTiles() {
    var count = Object.keys(incoming).filter(function (sid) { return incoming[sid].tile; }).length;
    $("video-empty").classList.toggle("d-none", count > 0 || local.publishing);
    var screen = Object.keys(incoming).some(function (sid) { return incoming[sid].info && incoming[sid].info.screen; }) || !!local.screen;
    // the presenter chooses the screen or the slides; everyone sees the same
    var deck = $("deck");
    if (deck) { deck.classList.toggle("d-none", screen); }
    $("video-deck-note").classList.toggle("d-none", !screen);
  }

  // --- the server's messages ---------------------------------------------------------------
  var pendingInfo = {};      // publishers announced whose offer has not come yet
  socket.on("rtc_publisher", function (info) {
    if (info.sid === socket.id) { return; }
    var entry = incoming[info.sid];
    if (entry) { entry.info = info; renderTile(info.sid); renderTiles(); return; }
    if (janusMedia) { incoming[info.sid] = { pc: null, tile: null, info: info }; janusMedia.subscribe(info.sid, info.user_id); return; }
    pendingInfo[info.sid] = info;
    socket.emit("rtc_watch", { to: info.sid });
  });
  socket.on("rtc_watch", function (message) {
    if (janusMedia) { if (outgoing.janus) { announce(); } return; }  // a late viewer learns of the picture
    if (local.publishing) { offerTo(message.from, false); }
  });
  socket.on("rtc_signal", function (message) {
    var from = message.from;
    if (message.kind === "offer") {
      receiveOffer(from, message);
      if (pendingInfo[from]) { incoming[from].info = pendingInfo[from]; delete pendingInfo[from]; renderTile(from); renderTiles(); }
    } else if (message.kind === "answer" && outgoing[from]) {
      outgoing[from].pc.setRemoteDescription(message.description).catch(function () { /* a newer offer follows */ });
    } else if (message.kind === "candidate" && message.candidate) {
      var peer = outgoing[from] || incoming[from];
      if (peer) { peer.pc.addIceCandidate(candidateOf(message.candidate)).catch(function () { /* stale */ }); }
    } else if (message.kind === "full") {
      notice(T.mesh_full, "warning");
      showMeetingLink();
    } else if (message.kind === "bye") {
      closeIncoming(from);
    } else if (message.kind === "audio_only" && outgoing[from]) {
      outgoing[from].audioOnly = !!message.on;
      if (outgoing[from].video) { outgoing[from].video.replaceTrack(message.on ? null : videoTrack()); }
    }
  });
  socket.on("rtc_gone", function (message) {
    closeIncoming(message.sid);
    if (outgoing[message.sid]) { outgoing[message.sid].pc.close(); delete outgoing[message.sid]; }
  });
  socket.on("rtc_stop", function (stop) {
    var mine = stop.everyone || stop.user_ids.indexOf(myId) >= 0 ||
      (role === "district" && stop.district_ids.indexOf(me.districtId) >= 0);
    if (mine && local.publishing) { stopPublishing(T.stage_moved); }
    Object.keys(incoming).forEach(function (sid) {
      var info = incoming[sid].info || {};
      if (stop.everyone || stop.user_ids.indexOf(info.user_id) >= 0 ||
          (info.district_id && stop.district_ids.indexOf(info.district_id) >= 0)) { closeIncoming(sid); }
    });
  });
  socket.on("rtc_control", function (control) {
    if (control.action === "mute") { local.micOff = true; applyMic(); notice(T.host_muted, "secondary"); }
    if (control.action === "end_screen") { endScreen(); notice(T.host_ended_screen, "secondary"); }
    if (control.action === "unmute") { notice(T.host_unmuted, "info"); }
    if (control.action === "allow_video") { notice(T.host_allowed_video, "info"); }
    if (control.action === "stop") { stopPublishing(T.host_stopped); }
  });
  socket.on("presence", function (presence) {
    crowded = presence && presence.total > config.mesh_limit + 1;
    if (crowded && (local.publishing || role === "host")) { notice(T.mesh_crowded, "warning"); showMeetingLink(); }
  });
  socket.on("connect", function () {
    // a new connection id: the pictures are asked for again
    Object.keys(incoming).forEach(closeIncoming);
  });
  root.addEventListener("live:snapshot", function (e) {
    var snap = e.detail;
    config = snap.video || config;
    if (config.blocked) { blocked = config.blocked; }
    if (config.backend === "janus" && window.RoadshowJanus && !janusMedia) {
      var where = config.janus;
      where.ice_servers = config.ice_servers;
      janusMedia = window.RoadshowJanus(where, {
        onRemoteStream: function (sid, stream, pc) {
          var entry = incoming[sid] || (incoming[sid] = { pc: null, tile: null, info: pendingInfo[sid] || {} });
          entry.pc = pc;
          var video = ensureTile(sid).querySelector("video");
          if (video.srcObject !== stream) { video.srcObject = stream; }
          video.muted = !soundOn;
          var played = video.play();
          if (played && played.catch) { played.catch(function () { /* muted autoplay goes on */ }); }
        },
        onError: function () { notice(T.media_error, "warning"); showMeetingLink(); },
        onStopped: function () { if (local.publishing) { stopPublishing(T.media_stopped); } },
      });
    }
    me.presents = (snap.you && snap.you.presents) || [];
    me.districtId = snap.you ? snap.you.district_id : null;
    stage = snap.stage;
    if (mySid !== socket.id) {
      mySid = socket.id;
      if (local.publishing && !janusMedia) { Object.keys(outgoing).forEach(function (sid) { outgoing[sid].pc.close(); delete outgoing[sid]; }); }
      if (local.publishing) { announce(); }
      watchAll();
    }
    renderControls();
  });
  root.addEventListener("live:stage", function (e) {
    stage = e.detail;
    if (local.publishing && !mayPublish()) { stopPublishing(T.stage_moved); }
    renderControls();
    Object.keys(incoming).forEach(renderTile);
  });

  // --- network changes: ICE restarts instead of a reload -------------------------------------
  function restartIce() {
    if (janusMedia) { janusMedia.restartIce(); return; }
    Object.keys(outgoing).forEach(function (sid) { offerTo(sid, true); });
    Object.keys(incoming).forEach(function (sid) {
      var state = incoming[sid].pc.iceConnectionState;
      if (state === "failed" || state === "disconnected") { socket.emit("rtc_watch", { to: sid }); }
    });
  }
  window.addEventListener("online", restartIce);
  if (navigator.connection && navigator.connection.addEventListener) { navigator.connection.addEventListener("change", restartIce); }

  // --- connection quality (presenter and host) ----------------------------------------------
  var last = {};
  function measure() {
    var peers = local.publishing ? outgoing : (role === "host" ? incoming : {});
    var sids = Object.keys(peers).filter(function (sid) { return peers[sid] && peers[sid].pc; });
    if (!sids.length) { renderQuality(null); return; }
    Promise.all(sids.map(function (sid) { return peers[sid].pc.getStats(); })).then(function (reports) {
      var rtt = [], lost = 0, packets = 0, bytes = 0, fps = [];
      reports.forEach(function (report, i) {
        report.forEach(function (s) {
          if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime !== undefined) { rtt.push(s.currentRoundTripTime); }
          if (s.type === "remote-inbound-rtp" && s.fractionLost !== undefined) { lost += s.fractionLost; packets += 1; }
          if (s.type === "inbound-rtp" && s.kind === "video") {
            var key = sids[i] + s.id, before = last[key] || { lost: 0, received: 0 };
            var dl = (s.packetsLost || 0) - before.lost, dr = (s.packetsReceived || 0) - before.received;
            if (dl + dr > 0) { lost += dl / (dl + dr); packets += 1; }
            last[key] = { lost: s.packetsLost || 0, received: s.packetsReceived || 0 };
            if (s.framesPerSecond !== undefined) { fps.push(s.framesPerSecond); }
          }
          if (s.type === "outbound-rtp") { bytes += s.bytesSent || 0; }
        });
      });
      var avgRtt = rtt.length ? rtt.reduce(function (a, b) { return a + b; }, 0) / rtt.length : 0;
      var loss = packets ? lost / packets : 0;
      var kbps = last.bytes !== undefined ? Math.max(0, (bytes - last.bytes) * 8 / 2000) : 0;
      last.bytes = bytes;
      renderQuality({ rtt: avgRtt, loss: loss, kbps: kbps, fps: fps.length ? Math.min.apply(null, fps) : null });
    });
  }
  function renderQuality(q) {
    var node = $("video-quality");
    if (!q) { node.textContent = ""; node.className = "small mb-0"; return; }
    var level = q.rtt < 0.15 && q.loss < 0.02 ? "good" : (q.rtt < 0.4 && q.loss < 0.08 ? "fair" : "poor");
    node.textContent = fmt(T["quality_" + level], { rtt: Math.round(q.rtt * 1000), loss: (q.loss * 100).toFixed(1), kbps: Math.round(q.kbps) });
    node.className = "small mb-0 " + (level === "good" ? "text-success" : level === "fair" ? "text-warning-emphasis" : "text-danger");
    node.dataset.level = level;
  }
  setInterval(measure, 2000);

  // --- the device check: camera preview, microphone level, a test sound -----------------------
  var check = { stream: null, audio: null, timer: null, round: 0, opener: "video-check" };
  function openCheck(e) {
    if (e && e.type === "click") { check.opener = e.currentTarget.id; }
    $("video-check-panel").classList.remove("d-none");
    $("video-check-sound").focus();
    var round = check.round;
    navigator.mediaDevices.getUserMedia({ audio: deviceChoice("video-mic-select", true), video: deviceChoice("video-camera-select", true) }).then(function (stream) {
      if (round !== check.round) { stream.getTracks().forEach(function (t) { t.stop(); }); return; }  // closed meanwhile
      closeCheckStream();
      check.round = round;
      check.stream = stream;
      $("video-check-preview").srcObject = stream;
      listDevices();
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx || !stream.getAudioTracks().length) { return; }
      check.audio = new Ctx();
      var analyser = check.audio.createAnalyser();
      check.audio.createMediaStreamSource(stream).connect(analyser);
      var data = new Uint8Array(analyser.fftSize);
      check.timer = setInterval(function () {
        analyser.getByteTimeDomainData(data);
        var peak = 0;
        for (var i = 0; i < data.length; i += 1) { peak = Math.max(peak, Math.abs(data[i] - 128)); }
        $("video-check-level").value = Math.min(1, peak / 64);
      }, 100);
    }).catch(function () { $("video-check-result").textContent = T.no_devices; });
  }
  function closeCheckStream() {
    check.round += 1;
    clearInterval(check.timer);
    if (check.audio) { check.audio.close(); check.audio = null; }
    if (check.stream) { check.stream.getTracks().forEach(function (t) { t.stop(); }); check.stream = null; }
  }
  function closeCheck() {
    hideCheck();
    $(check.opener).focus();
  }
  function hideCheck() {
    closeCheckStream();
    $("video-check-preview").srcObject = null;
    $("video-check-panel").classList.add("d-none");
  }
  function listDevices() {
    navigator.mediaDevices.enumerateDevices().then(function (devices) {
      [["video-camera-select", "videoinput"], ["video-mic-select", "audioinput"], ["video-speaker-select", "audiooutput"]].forEach(function (pair) {
        var select = $(pair[0]), chosen = select.value;
        while (select.firstChild) { select.removeChild(select.firstChild); }
        devices.filter(function (d) { return d.kind === pair[1]; }).forEach(function (d, i) {
          var option = el("option", null, d.label || (T.device + " " + (i + 1)));
          option.value = d.deviceId;
          select.appendChild(option);
        });
        if (chosen) { select.value = chosen; }
      });
    });
  }
  function testSound() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { return; }
    var ctx = new Ctx(), tone = ctx.createOscillator(), gain = ctx.createGain();
    tone.frequency.value = 440;
    gain.gain.value = 0.2;
    tone.connect(gain);
    var speaker = $("video-speaker-select").value;
    if (speaker && ctx.setSinkId) { ctx.setSinkId(speaker).catch(function () { /* default output */ }); }
    gain.connect(ctx.destination);
    tone.start();
    tone.stop(ctx.currentTime + 0.8);
    tone.onended = function () { ctx.close(); };
    $("video-check-result").textContent = T.heard;
  }

  // --- controls -------------------------------------------------------------------------------
  var soundOn = false;
  function pressed(id, on, labelOn, labelOff) {
    var button = $(id);
    if (!button) { return; }
    button.setAttribute("aria-pressed", on ? "true" : "false");
    if (labelOn) { button.textContent = on ? labelOn : labelOff; }
  }
  function renderControls() {
    var allowed = mayPublish();
    $("video-publisher-controls").classList.toggle("d-none", !allowed && !local.publishing);
    $("video-publish").classList.toggle("d-none", local.publishing);
    $("video-stop").classList.toggle("d-none", !local.publishing);
    ["video-mic", "video-screen", "video-send-audio-only"].forEach(function (id) { $(id).disabled = !local.publishing; });
    pressed("video-mic", local.micOff, T.mic_on, T.mic_off);
    pressed("video-screen", !!local.screen, T.screen_stop, T.screen_start);
    pressed("video-send-audio-only", local.audioOnly);
    $("video-on-stage").classList.toggle("d-none", !allowed || local.publishing);
    renderTiles();
  }
  $("video-publish").addEventListener("click", startPublishing);
  $("video-stop").addEventListener("click", function () { stopPublishing(""); notice(""); });
  $("video-mic").addEventListener("click", function () { local.micOff = !local.micOff; applyMic(); });
  $("video-screen").addEventListener("click", function () { if (local.screen) { endScreen(); } else { shareScreen(); } });
  $("video-send-audio-only").addEventListener("click", function () { local.audioOnly = !local.audioOnly; replaceVideo(); announce(); renderControls(); });
  $("video-check").addEventListener("click", openCheck);
  // a presenter's device check before the session (the reminder's link ends in #device-check)
  if ($("video-check-early")) { $("video-check-early").addEventListener("click", openCheck); }
  $("video-check-close").addEventListener("click", closeCheck);
  $("video-check-sound").addEventListener("click", testSound);
  ["video-camera-select", "video-mic-select"].forEach(function (id) { $(id).addEventListener("change", openCheck); });
  $("video-check-panel").addEventListener("keydown", function (e) { if (e.key === "Escape") { closeCheck(); } });
  $("video-sound").addEventListener("click", function () {
    soundOn = !soundOn;
    document.querySelectorAll("#video-tiles video").forEach(function (v) { v.muted = !soundOn; });
    pressed("video-sound", soundOn, T.sound_off, T.sound_on);
  });
  $("video-audio-only").addEventListener("click", function () {
    watchingAudioOnly = !watchingAudioOnly;
    Object.keys(incoming).forEach(function (sid) {
      if (janusMedia) { janusMedia.configure(sid, { audioOnly: watchingAudioOnly }); } else { signal(sid, "audio_only", { on: watchingAudioOnly }); }
    });
    area.classList.toggle("live-video-audio-only", watchingAudioOnly);
    pressed("video-audio-only", watchingAudioOnly, T.video_back, T.audio_only);
  });
  function showMeetingLink() { var link = $("video-meeting"); if (link) { link.classList.remove("d-none"); } }
  var guestForm = $("video-guest-form");
  if (guestForm) {
    var people = $("video-guest-select");
    var refreshPeople = function () {
      socket.emit("video_people", {}, function (answer) {
        if (!answer || !answer.ok) { return; }
        var chosen = people.value;
        while (people.firstChild) { people.removeChild(people.firstChild); }
        answer.people.forEach(function (p) {
          var label = pick(p, "name") + (p.district_en ? " · " + pick(p, "district") : "");
          var option = el("option", null, label);
          option.value = p.user_id;
          people.appendChild(option);
        });
        if (chosen) { people.value = chosen; }
      });
    };
    people.addEventListener("focus", refreshPeople);
    socket.on("presence", refreshPeople);
    guestForm.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!people.value) { return; }
      socket.emit("video_guest", { user_id: parseInt(people.value, 10), on: true }, function (answer) {
        $("video-guest-result").textContent = answer && answer.ok ? T.brought_on : ((answer && answer.message) || T.failed);
      });
    });
  }

  // for the browser tests and the curious: what the pictures received so far decoded
  window.RoadshowVideo = {
    publishing: function () { return local.publishing; },
    framesDecoded: function () {
      var sids = Object.keys(incoming).filter(function (sid) { return incoming[sid].pc; });
      return Promise.all(sids.map(function (sid) { return incoming[sid].pc.getStats(); })).then(function (reports) {
        var frames = 0;
        reports.forEach(function (report) { report.forEach(function (s) { if (s.type === "inbound-rtp" && s.kind === "video") { frames += s.framesDecoded || 0; } }); });
        return frames;
      });
    },
    audioReceived: function () {  // sound packets received (the host's mute stops them on Janus)
      var sids = Object.keys(incoming).filter(function (sid) { return incoming[sid].pc; });
      return Promise.all(sids.map(function (sid) { return incoming[sid].pc.getStats(); })).then(function (reports) {
        var packets = 0;
        reports.forEach(function (report) { report.forEach(function (s) { if (s.type === "inbound-rtp" && s.kind === "audio") { packets += s.packetsReceived || 0; } }); });
        return packets;
      });
    },
    framesSent: function () {
      var sids = Object.keys(outgoing).filter(function (sid) { return outgoing[sid].pc; });
      return Promise.all(sids.map(function (sid) { return outgoing[sid].pc.getStats(); })).then(function (reports) {
        var sent = { frames: 0, layers: 0 };  // layers: simulcast encodings sending
        reports.forEach(function (report) { report.forEach(function (s) { if (s.type === "outbound-rtp" && s.kind === "video") { sent.frames += s.framesSent || 0; sent.layers += s.framesSent ? 1 : 0; } }); });
        return sent;
      });
    },
    publish: function () {
      return new Promise(function (resolve) { socket.emit("rtc_publish", {}, resolve); });
    },
  };
})();
