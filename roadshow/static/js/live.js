// The live room: follows the server's stage, timer, slides, questions, chat and scores.
// Everything the server sends is inserted as text (textContent), never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("live-room");
  if (!root || typeof io === "undefined") { return; }

  var T = JSON.parse(root.dataset.strings || "{}");
  var role = root.dataset.role;
  var sessionId = parseInt(root.dataset.sessionId, 10);
  var deckUrl = root.dataset.deckUrl;
  var state = { seq: -1, snapshot: null, stage: null, program: [], questions: {}, myVotes: {},
                results: {}, offset: 0, pending: [], docking: {}, scored: {}, muted: {},
                heads: null, waiting: [], expectAll: 0,
                myScore: null };

  function $(id) { return document.getElementById(id); }
  // What the server pushes reaches readers of both languages at once, so names and titles come
  // as <field>_en and <field>_zh; the page shows its reader's (older payloads: <field>).
  var lang = root.dataset.lang === "zh" ? "zh" : "en";
  // Scores to the rubric's precision, as the reader's language writes numbers (never 86.11111111111111).
  var scoreDigits = parseInt(root.dataset.scoreDigits || "1", 10);
  var scoreFormat = new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en",
    { minimumFractionDigits: scoreDigits, maximumFractionDigits: scoreDigits });
  function score(value) {
    return value === null || value === undefined || isNaN(Number(value)) ? "–" : scoreFormat.format(Number(value));
  }
  function pick(obj, field) {
    if (!obj) { return ""; }
    var other = lang === "zh" ? "en" : "zh";
    return obj[field + "_" + lang] || obj[field] || obj[field + "_" + other] || "";
  }
  function fmt(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (_, key) {
      return values && values[key] !== undefined ? values[key] : "";
    });
  }
  // A counted phrase: the page gives each one as key_one and key_other (from ngettext);
  // English takes the first for exactly one, Chinese reads the same in both.
  function counted(key, count, values) {
    var text = T[key + (Number(count) === 1 ? "_one" : "_other")];
    var all = { count: count };
    Object.keys(values || {}).forEach(function (k) { all[k] = values[k]; });
    return fmt(text, all);
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node && node.firstChild) { node.removeChild(node.firstChild); } }
  function say(id, text, ok) {
    var node = $(id);
    if (!node) { return; }
    node.textContent = text || "";
    node.className = "ms-2 small " + (ok ? "text-success" : "text-danger");
  }
  function alertBox(text) {
    var box = $("live-alert");
    box.textContent = text || "";
    box.classList.toggle("d-none", !text);
  }
  function status(text, kind) {
    var badge = $("live-status");
    badge.textContent = text;
    kind = kind || "secondary";
    // white on yellow reads at 1.6:1; the warning badge takes dark text (about 10:1)
    badge.className = "badge bg-" + kind + (kind === "warning" ? " text-dark" : "");
  }
  function newActionId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var socket = io("/live", { auth: { session_id: sessionId }, transports: ["websocket", "polling"] });
  // the stage's video (live-video.js) signals over this same connection
  window.RoadshowLive = { socket: socket };
  function announce(name, detail) {
    root.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  // Send an action with an id; retry with the same id until the server answers, so a lost
  // answer never applies an action twice.
  function act(name, payload, resultId, onDone) {
    payload = payload || {};
    payload.action_id = payload.action_id || newActionId();
    var tries = 0;
    function attempt() {
      tries += 1;
      socket.timeout(5000).emit(name, payload, function (err, answer) {
        if (err) {
          if (tries < 4) { say(resultId, T.retrying, false); setTimeout(attempt, 500 * tries); }
          else { say(resultId, T.failed, false); if (onDone) { onDone(false); } }
          return;
        }
        if (answer && answer.ok) {
          say(resultId, "", true);
          if (onDone) { onDone(true, answer); }
        } else {
          var message = (answer && answer.message) || T.failed;
          if (resultId) { say(resultId, message, false); } else { alertBox(message); }
          if (onDone) { onDone(false, answer); }
        }
      });
    }
    attempt();
  }

  // --- connection and catching up ---------------------------------------------------
  // Every event names the number before it on each channel it went to (ev.prev: the whole
  // room, the hosts, this user, this district); the snapshot names the last number on each of
  // this client's channels. An event whose predecessor never arrived means something was lost
  // on the way (a broadcast while the server's Redis was down, a dropped frame): after a moment
  // (batches may overtake each other) the client asks for a fresh snapshot. The server's
  // periodic "heads" shows a loss in a quiet room too.
  var GAP_GRACE_MS = 1500;
  var resyncing = false;
  var gapTimer = null;
  function resync() {
    if (resyncing) { return; }
    resyncing = true;
    clearTimeout(gapTimer);
    gapTimer = null;
    socket.emit("hello", { since: state.seq }, function (answer) {
      resyncing = false;
      if (!answer || !answer.ok) { alertBox((answer && answer.message) || T.refused); return; }
      applySnapshot(answer.snapshot);
    });
  }
  function tracked(ev) {
    if (!ev.prev || !state.heads) { return []; }
    return Object.keys(ev.prev).filter(function (ch) { return state.heads[ch] !== undefined; });
  }
  function alreadyHad(ev, chans) { return chans.some(function (ch) { return ev.seq <= state.heads[ch]; }); }
  function missedBefore(ev, chans) { return chans.some(function (ch) { return ev.prev[ch] > state.heads[ch]; }); }
  function checkGap() {
    gapTimer = null;
    if (state.waiting.length || (state.heads.all || 0) < state.expectAll) { resync(); }
  }
  function expectGap() { if (!gapTimer) { gapTimer = setTimeout(checkGap, GAP_GRACE_MS); } }
  // Apply an event in order on each of its channels; hold it while its predecessor is missing.
  function receive(ev) {
    var chans = tracked(ev);
    if (chans.length) {
      if (alreadyHad(ev, chans)) { return; }
      if (missedBefore(ev, chans)) { state.waiting.push(ev); expectGap(); return; }
      chans.forEach(function (ch) { state.heads[ch] = ev.seq; });
    } else if (ev.seq <= state.seq) {
      return;
    }
    applyEvent(ev);
    releaseWaiting();
  }
  function releaseWaiting() {
    var progress = true;
    while (progress && state.waiting.length) {
      progress = false;
      state.waiting.sort(function (a, b) { return a.seq - b.seq; });
      for (var i = 0; i < state.waiting.length; i += 1) {
        var ev = state.waiting[i];
        var chans = tracked(ev);
        if (alreadyHad(ev, chans)) { state.waiting.splice(i, 1); progress = true; break; }
        if (!missedBefore(ev, chans)) {
          state.waiting.splice(i, 1);
          chans.forEach(function (ch) { state.heads[ch] = ev.seq; });
          applyEvent(ev);
          progress = true;
          break;
        }
      }
    }
    if (!state.waiting.length && (state.heads.all || 0) >= state.expectAll && gapTimer) {
      clearTimeout(gapTimer);
      gapTimer = null;
    }
  }
  socket.on("connect", function () {
    status(T.connected, "success");
    alertBox("");
    resyncing = false;  // an answer lost with the old connection never comes
    resync();
  });
  socket.on("heads", function (heads) {
    if (!state.snapshot || !state.heads || state.heads.all === undefined) { return; }
    if (heads.all > state.heads.all) {
      state.expectAll = Math.max(state.expectAll, heads.all);
      expectGap();
    }
  });
  socket.on("disconnect", function (reason) {
    status(T.reconnecting, "warning");
    if (reason === "io server disconnect") { alertBox(T.signed_out); }
  });
  socket.on("connect_error", function () { status(T.reconnecting, "warning"); });
  socket.on("events", function (events) {
    // while a snapshot is on its way, what arrives waits for it (it may be newer)
    if (!state.snapshot || resyncing) { state.pending = state.pending.concat(events); return; }
    events.forEach(receive);
  });
  socket.on("presence", function (presence) { renderPresence(presence); });

  function applySnapshot(snap) {
    state.snapshot = snap;
    state.seq = snap.seq;
    state.heads = {};
    Object.keys(snap.channels || {}).forEach(function (ch) { state.heads[ch] = snap.channels[ch]; });
    state.waiting = [];
    state.expectAll = 0;
    state.program = snap.program;
    renderProgram();
    state.offset = Date.parse(snap.server_now) - Date.now();
    state.questions = {};
    snap.questions.forEach(function (q) { state.questions[q.id] = q; });
    state.myVotes = {};
    snap.my_votes.forEach(function (id) { state.myVotes[id] = true; });
    state.results = snap.results || {};
    state.docking = {};
    (snap.docking || []).forEach(function (d) { state.docking[d.id] = d; });
    // what this user already did here comes back with the snapshot: the host's count of
    // judges who scored, the host's mutes, a judge's own score of the project on stage
    state.scored = snap.scored || {};
    state.muted = {};
    (snap.muted_users || []).forEach(function (id) { state.muted[id] = true; });
    var onStage = snap.stage.current === null || snap.stage.current === undefined ? null : snap.stage.items[snap.stage.current];
    state.myScore = snap.my_score && onStage ? { app: onStage.application_id, score: snap.my_score } : null;
    renderStage(snap.stage);
    renderQuestions();
    clear($("chat-list"));
    snap.chat.forEach(addChat);
    renderPresence(snap.presence);
    renderResults();
    renderDocking();
    if (snap.you.muted) { say("chat-result", T.muted_you, false); }
    announce("live:snapshot", snap);
    var pending = state.pending;
    state.pending = [];
    pending.forEach(receive);
  }

  function applyEvent(ev) {
    state.seq = Math.max(state.seq, ev.seq);
    var d = ev.data || {};
    switch (ev.kind) {
      case "stage":
      case "page":
        if (d.program) { followProgramme(d.program, null); }
        if (d.results) { Object.keys(d.results).forEach(function (k) { state.results[k] = d.results[k]; }); renderResults(); }
        renderStage(d.stage);
        break;
      case "question":
        state.questions[d.question.id] = d.question;
        renderQuestions();
        break;
      case "votes":
        if (state.questions[d.question_id]) { state.questions[d.question_id].votes = d.votes; renderQuestions(); }
        break;
      case "chat": addChat(d.message); break;
      case "chat_deleted":
        var gone = document.querySelector('#chat-list [data-id="' + Number(d.id) + '"]');
        if (gone) { gone.remove(); }
        break;
      case "mute":
        if (String(d.user_id) === root.dataset.userId) { say("chat-result", d.muted ? T.muted_you : T.unmuted_you, !d.muted); }
        if (role === "host") { state.muted[d.user_id] = !!d.muted; renderMuteButtons(); }
        break;
      case "scored":
        state.scored[d.application_id] = d.count;
        if (role === "host") { renderScored(state.stage); }
        if (role === "judge") { say("score-result", T.score_saved, true); }
        break;
      case "docking":
        state.docking[d.request.id] = d.request;
        renderDocking();
        break;
      case "programme":
        followProgramme(d.program || [], d.stage);
        break;
      case "ceremony":
        var box = $("live-ceremony");
        box.textContent = fmt(T.ceremony, { project: pick(d, "project"), district: pick(d, "district") });
        box.classList.remove("d-none");
        break;
      default: break;
    }
  }

  // --- the stage ----------------------------------------------------------------------
  function currentItem(stage) {
    if (!stage || stage.current === null || stage.current === undefined) { return null; }
    if (stage.phase === "waiting") { return null; }  // between items: nothing on stage
    var item = stage.items[stage.current];
    if (!item) { return null; }
    var entry = null;
    state.program.forEach(function (p) { if (p.slot_id === item.slot_id) { entry = p; } });
    return { item: item, entry: entry || {} };
  }

  function renderStage(stage) {
    state.stage = stage;
    announce("live:stage", stage);
    $("stage-phase").textContent = T["phase_" + stage.phase] || stage.phase;
    var cur = currentItem(stage);
    var title = $("stage-title"), presenter = $("stage-presenter"), cue = $("stage-cue");
    cue.textContent = "";
    if (!stage.opened) { title.textContent = T.not_open; }
    else if (!cur) { title.textContent = T.nothing_on_stage; }
    else { title.textContent = pick(cur.entry, "title") || T["kind_" + cur.item.kind] || ""; }
    presenter.textContent = cur ? (pick(cur.entry, "presenter") || pick(cur.entry, "district")) : "";
    document.querySelectorAll("#program-list [data-slot]").forEach(function (row) {
      var on = cur && Number(row.dataset.slot) === cur.item.slot_id;
      row.classList.toggle("table-active", !!on);
      if (on) { row.setAttribute("aria-current", "step"); } else { row.removeAttribute("aria-current"); }
    });
    var mine = cur && cur.item.application_id && state.snapshot.you.presents.indexOf(cur.item.application_id) !== -1;
    if (mine && (stage.phase === "pitch" || stage.phase === "qa")) { cue.textContent = T.you_are_on; }
    else if (role === "presenter" && stage.opened) {
      var next = stage.items[(stage.current === null ? -1 : stage.current) + 1];
      if (next && next.application_id && state.snapshot.you.presents.indexOf(next.application_id) !== -1) { cue.textContent = T.you_are_next; }
    }
    renderDeck(stage, cur, mine);
    renderVideo(cur);
    renderScoring(stage, cur);
    renderHostControls(stage, cur);
    renderScored(stage);
    tick();
  }

  // The project's video link exists only when there is a video to link to.
  function renderVideo(cur) {
    var slot = $("stage-video"), url = cur && cur.entry.video_url;
    var link = slot.querySelector("a");
    if (!url) { clear(slot); return; }
    if (!link) {
      link = el("a", "btn btn-sm btn-outline-secondary", T.video);
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      slot.appendChild(link);
    }
    link.href = url;
  }

  // The host's count of judges who scored the project on stage.
  function renderScored(stage) {
    var line = $("host-scored");
    if (!line) { return; }
    var cur = currentItem(stage);
    var count = cur && cur.item.application_id ? state.scored[cur.item.application_id] : 0;
    line.textContent = count ? counted("scored_count", count) : "";
  }

  // Host buttons that cannot apply to the current stage are disabled (the server refuses
  // them anyway, with a message).
  function renderHostControls(stage, cur) {
    if (role !== "host") { return; }
    var closed = stage.phase === "closed", open = stage.opened && !closed;
    var pitch = cur && cur.item.kind === "pitch";
    var hasNext = (stage.current === null || stage.current === undefined ? 0 : stage.current + 1) < stage.items.length;
    var allowed = {
      open: !stage.opened && !closed,
      next: open && hasNext,
      start: open && !!cur && !stage.timer.running,
      pause: open && stage.timer.running,
      extend: open && !!cur,
      qa: open && pitch && (stage.phase === "pitch" || stage.phase === "scoring"),
      scoring: open && pitch && (stage.phase === "pitch" || stage.phase === "qa"),
      reveal: open && pitch && stage.revealed.indexOf(cur.item.slot_id) === -1,
      "break": open,
      close: !closed
    };
    document.querySelectorAll("[data-stage]").forEach(function (button) {
      button.disabled = !allowed[button.dataset.stage];
    });
    var call = document.querySelector("#call-form button");
    if (call) { call.disabled = !open; }
  }

  // The frame is sized before the image loads; the <img> exists only with a page to show.
  function renderDeck(stage, cur, mine) {
    var frame = $("deck-frame"), caption = $("deck-caption"), controls = $("deck-controls");
    var presenting = cur && cur.item.kind === "pitch" && (stage.phase === "pitch" || stage.phase === "qa");
    var pages = presenting ? (cur.entry.deck_pages || 0) : 0;
    if (!presenting || !pages) {
      clear(frame);
      frame.classList.add("d-none");
      caption.textContent = presenting ? T.no_deck : "";
      controls.classList.add("d-none");
      return;
    }
    var page = stage.deck_page || 1;
    var src = deckUrl.replace("{app}", cur.item.application_id).replace("{page}", page);
    var img = frame.querySelector("img");
    if (!img) {
      img = document.createElement("img");
      img.id = "deck-image";
      img.width = 1280; img.height = 720;  // the frame's ratio; the page keeps its own inside
      frame.appendChild(img);
    }
    if (img.getAttribute("src") !== src) { img.src = src; }
    img.alt = fmt(T.slide_alt, { page: page });
    frame.classList.remove("d-none");
    caption.textContent = fmt(T.page_of, { page: page, count: pages });
    controls.classList.toggle("d-none", !(mine || role === "host"));
    controls.dataset.pages = pages;
  }

  document.querySelectorAll("[data-deck]").forEach(function (button) {
    button.addEventListener("click", function () {
      var stage = state.stage;
      if (!stage) { return; }
      var pages = parseInt($("deck-controls").dataset.pages || "1", 10);
      var page = Math.min(pages, Math.max(1, (stage.deck_page || 1) + parseInt(button.dataset.deck, 10)));
      if (page !== stage.deck_page) { act("page", { page: page }); }
    });
  });

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  // Phases that run against the clock; waiting, scoring and closed have no timer unless the
  // host gave them time (+1 minute), and then show no countdown and no "paused".
  var TIMED_PHASES = ["district", "pitch", "qa", "break"];
  function tick() {
    var stage = state.stage, timer = $("stage-timer"), note = $("stage-timer-note");
    if (!stage || !stage.timer) { return; }
    var timed = stage.timer.running || (stage.timer.remaining || 0) > 0 ||
      (TIMED_PHASES.indexOf(stage.phase) !== -1 && stage.current !== null && stage.current !== undefined);
    if (!timed) {
      timer.textContent = "—";
      timer.classList.remove("text-danger");
      note.textContent = "";
      return;
    }
    var left;
    if (stage.timer.running && stage.timer.deadline) {
      left = Math.max(0, (Date.parse(stage.timer.deadline) - (Date.now() + state.offset)) / 1000);
      note.textContent = "";
    } else {
      left = Math.max(0, stage.timer.remaining || 0);
      note.textContent = T.paused;
    }
    var s = Math.ceil(left);
    timer.textContent = pad(Math.floor(s / 60)) + ":" + pad(s % 60);
    timer.classList.toggle("text-danger", stage.timer.running && s <= 60);
    if (stage.timer.running && s === 0) { note.textContent = T.time_up; }
  }
  setInterval(tick, 250);

  // --- host controls ----------------------------------------------------------------
  document.querySelectorAll("[data-stage]").forEach(function (button) {
    button.addEventListener("click", function () {
      var payload = { command: button.dataset.stage };
      if (button.dataset.seconds) { payload.seconds = parseInt(button.dataset.seconds, 10); }
      if (payload.command === "reveal") {
        var cur = currentItem(state.stage);
        if (!cur) { return; }
        payload.slot_id = cur.item.slot_id;
      }
      act("stage", payload);
    });
  });
  var callForm = $("call-form");
  if (callForm) {
    callForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var choice = $("call-index");
      var option = choice.options[choice.selectedIndex];
      var payload = { command: "call", index: parseInt(choice.value, 10) };
      if (option && option.dataset.slot) { payload.slot_id = parseInt(option.dataset.slot, 10); }
      act("stage", payload);
    });
  }

  // --- the programme follows the schedule --------------------------------------------
  // A pitch placed, moved or removed after the room opened: the server sends the new
  // programme with the stage; the table and the host's list follow, and the room is told.
  var clock = null;
  try {
    clock = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB",
      { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.zone || undefined });
  } catch (e) { clock = null; }
  function clockOf(iso) {
    var at = new Date(iso);
    return clock ? clock.format(at) : pad(at.getHours()) + ":" + pad(at.getMinutes());
  }
  function entryLabel(entry) { return pick(entry, "title") || T["kind_" + entry.kind] || ""; }
  function renderProgram() {
    var body = $("program-list");
    if (body) {
      clear(body);
      state.program.forEach(function (entry, index) {
        var row = el("tr");
        row.dataset.slot = entry.slot_id;
        row.appendChild(el("td", "text-muted ps-3", (index + 1) + "."));
        var when = el("td", "text-nowrap text-muted");
        var from = el("time", "", clockOf(entry.starts_at)), to = el("time", "", clockOf(entry.ends_at));
        from.setAttribute("datetime", entry.starts_at);
        to.setAttribute("datetime", entry.ends_at);
        when.appendChild(from); when.appendChild(document.createTextNode("–")); when.appendChild(to);
        row.appendChild(when);
        var what = el("td", "text-break pe-3");
        what.appendChild(el("span", "fw-semibold", entryLabel(entry)));
        var who = pick(entry, "presenter");
        if (who) { what.appendChild(el("span", "text-muted", " — " + who)); }
        row.appendChild(what);
        body.appendChild(row);
      });
    }
    var select = $("call-index");
    if (select) {
      var chosen = select.value;
      clear(select);
      state.program.forEach(function (entry, index) {
        var who = pick(entry, "presenter");
        var option = el("option", "", (index + 1) + ". " + entryLabel(entry) + (who ? " — " + who : ""));
        option.value = String(index);
        option.dataset.slot = entry.slot_id;
        select.appendChild(option);
      });
      if (chosen && Number(chosen) < state.program.length) { select.value = chosen; }
    }
  }
  function programmeNews(before, after) {
    var old = {}, seen = {}, parts = [];
    before.forEach(function (e, i) { old[e.slot_id] = { entry: e, index: i }; });
    var added = [], moved = [], removed = [];
    after.forEach(function (e, i) {
      seen[e.slot_id] = true;
      var was = old[e.slot_id];
      if (!was || was.entry.application_id !== e.application_id) { added.push(fmt(T.item_at, { item: entryLabel(e), time: clockOf(e.starts_at) })); }
      else if (was.entry.starts_at !== e.starts_at || was.entry.ends_at !== e.ends_at) { moved.push(fmt(T.item_at, { item: entryLabel(e), time: clockOf(e.starts_at) })); }
    });
    before.forEach(function (e) {
      var now = null;
      after.forEach(function (a) { if (a.slot_id === e.slot_id) { now = a; } });
      if (!now || now.application_id !== e.application_id) { removed.push(entryLabel(e)); }
    });
    if (added.length) { parts.push(fmt(T.programme_added, { items: added.join(T.list_separator) })); }
    if (moved.length) { parts.push(fmt(T.programme_moved, { items: moved.join(T.list_separator) })); }
    if (removed.length) { parts.push(fmt(T.programme_removed, { items: removed.join(T.list_separator) })); }
    var gap = lang === "zh" ? "" : " ";  // Chinese sentences follow one another without a space
    return parts.length ? [T.programme_changed].concat(parts).join(gap) : "";
  }
  function followProgramme(program, stage) {
    var news = programmeNews(state.program, program);
    state.program = program;
    renderProgram();
    renderQuestions();
    renderResults();
    if (stage) { renderStage(stage); }
    var note = $("live-programme");
    if (note && news) { note.textContent = news; note.classList.remove("d-none"); }
  }

  // --- questions --------------------------------------------------------------------
  function renderQuestions() {
    var list = $("question-list");
    clear(list);
    var shown = Object.keys(state.questions).map(function (k) { return state.questions[k]; })
      .filter(function (q) { return q.status !== "hidden" || role === "host"; })
      .sort(function (a, b) { return (b.votes - a.votes) || (a.id - b.id); });
    $("questions-empty").classList.toggle("d-none", shown.length > 0);
    shown.forEach(function (q) {
      var li = el("li", "border-bottom py-2");
      li.dataset.id = q.id;
      li.appendChild(el("p", "mb-1", q.text));
      var project = "";
      state.program.forEach(function (p) { if (q.application_id && p.application_id === q.application_id) { project = pick(p, "title"); } });
      var meta = el("p", "small text-muted mb-1", pick(q, "author") + " · " + counted("votes", q.votes) + (project ? " · " + project : ""));
      if (q.status !== "approved") { meta.appendChild(el("span", "badge bg-light text-dark ms-1", T["status_" + q.status] || q.status)); }
      li.appendChild(meta);
      var bar = el("div", "d-flex flex-wrap gap-1");
      if (role !== "host" && (q.status === "approved" || q.status === "answered")) {
        var voted = !!state.myVotes[q.id];
        var vote = el("button", "btn btn-sm " + (voted ? "btn-primary" : "btn-outline-primary"), voted ? T.unvote : T.vote);
        vote.type = "button";
        vote.setAttribute("aria-pressed", voted ? "true" : "false");
        vote.addEventListener("click", function () {
          act("vote", { question_id: q.id, up: !voted }, null, function (ok, answer) {
            if (ok && answer) {
              state.myVotes[q.id] = answer.voted;
              if (answer.votes !== undefined) { q.votes = answer.votes; }
              renderQuestions();
            }
          });
        });
        bar.appendChild(vote);
      }
      if (role === "host") {
        [["approved", T.approve], ["answered", T.answered], ["hidden", T.hide]].forEach(function (pair) {
          if (q.status === pair[0]) { return; }
          var b = el("button", "btn btn-sm btn-outline-secondary", pair[1]);
          b.type = "button";
          b.addEventListener("click", function () { act("moderate", { question_id: q.id, status: pair[0] }); });
          bar.appendChild(b);
        });
      }
      li.appendChild(bar);
      list.appendChild(li);
    });
  }
  var askForm = $("ask-form");
  if (askForm) {
    askForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = $("ask-text").value;
      act("ask", { text: text }, "ask-result", function (ok) {
        if (ok) { $("ask-text").value = ""; say("ask-result", T.sent, true); }
      });
    });
  }

  // --- chat -------------------------------------------------------------------------
  function addChat(message) {
    var list = $("chat-list");
    var li = el("li", "py-1");
    li.dataset.id = message.id;
    // the colon is the reader's (：in Chinese, which needs no space after it)
    li.appendChild(el("span", "fw-semibold", fmt(T.said, { name: pick(message, "author") })));
    li.appendChild(el("span", "", (lang === "zh" ? "" : " ") + message.text));
    if (role === "host") {
      var del = el("button", "btn btn-link btn-sm p-0 ms-2", T.delete);
      del.type = "button";
      del.addEventListener("click", function () { act("delete_chat", { message_id: message.id }); });
      li.appendChild(del);
      if (message.role !== "host" && message.author_id) {
        var mute = el("button", "btn btn-link btn-sm p-0 ms-2");
        mute.type = "button";
        mute.dataset.muteUser = message.author_id;
        mute.addEventListener("click", function () {
          act("mute", { user_id: message.author_id, muted: !state.muted[message.author_id] });
        });
        li.appendChild(mute);
        renderMuteButtons(li);
      }
    }
    list.appendChild(li);
    while (list.children.length > 200) { list.removeChild(list.firstChild); }
    list.scrollTop = list.scrollHeight;
  }
  // A muted author's messages offer the host "Unmute" instead of "Mute".
  function renderMuteButtons(scope) {
    (scope || document).querySelectorAll("[data-mute-user]").forEach(function (button) {
      var muted = !!state.muted[button.dataset.muteUser];
      button.textContent = muted ? T.unmute : T.mute;
      button.setAttribute("aria-pressed", muted ? "true" : "false");
    });
  }
  $("chat-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = $("chat-text");
    act("chat", { text: input.value }, "chat-result", function (ok) { if (ok) { input.value = ""; } });
  });

  // --- presence ---------------------------------------------------------------------
  // The room gets one presence payload for all its readers: each name comes in both
  // languages and the page shows its own, like the ceremony's project and district.
  function presenceName(n) {
    if (typeof n === "string") { return n; }
    var zh = root.dataset.lang === "zh";
    var name = zh ? (n.name_zh || n.name_en) : (n.name_en || n.name_zh);
    var district = zh ? (n.district_zh || n.district_en) : (n.district_en || n.district_zh);
    return district ? name + " (" + district + ")" : (name || "");
  }
  function renderPresence(p) {
    var box = $("presence");
    if (!box || !p) { return; }
    clear(box);
    box.appendChild(el("p", "fw-semibold mb-1", fmt(T.in_room, { count: p.total })));
    var list = el("ul", "list-unstyled mb-0");
    ["host", "judge", "district", "presenter", "viewer"].forEach(function (r) {
      var count = p.counts[r] || 0;
      if (!count) { return; }
      var li = el("li", "", fmt(T.role_count, { role: T["role_" + r], count: count }));
      var names = (p.names && p.names[r]) || [];
      if (names.length) {
        var listed = fmt(T.names_listed, { names: names.map(presenceName).join(T.name_separator) });
        li.appendChild(el("span", "text-muted", (lang === "zh" ? "" : " ") + listed));
      }
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  // --- scoring (judges) ---------------------------------------------------------------
  function renderScoring(stage, cur) {
    var form = $("score-form");
    if (!form) { return; }
    var open = stage.phase === "scoring" && cur && cur.item.application_id;
    var conflicted = state.snapshot && state.snapshot.conflicted && open;
    $("score-closed").textContent = conflicted ? T.conflicted : $("score-closed").textContent;
    $("score-closed").classList.toggle("d-none", !!open && !conflicted);
    form.classList.toggle("d-none", !open || !!conflicted);
    if (!open || form.dataset.app === String(cur.item.application_id)) { return; }
    form.dataset.app = String(cur.item.application_id);
    var fields = $("score-fields");
    clear(fields);
    $("score-comment").value = "";
    say("score-result", "", true);
    var mine = state.myScore && state.myScore.app === cur.item.application_id ? state.myScore.score : null;
    (state.snapshot.rubric || []).forEach(function (c) {
      var wrap = el("div", "mb-2");
      var label = el("label", "form-label", c.name + " (" + c.min + "–" + c.max + ")");
      label.htmlFor = "score-" + c.id;
      var input = el("input", "form-control");
      input.type = "number"; input.min = c.min; input.max = c.max; input.step = "0.5";  // as on the preliminary review form
      input.id = "score-" + c.id; input.name = String(c.id); input.required = !!c.required;
      if (mine && mine.scores && mine.scores[String(c.id)] !== undefined) { input.value = mine.scores[String(c.id)]; }
      wrap.appendChild(label); wrap.appendChild(input);
      fields.appendChild(wrap);
    });
    if (mine) {
      $("score-comment").value = mine.comment || "";
      say("score-result", mine.total === null || mine.total === undefined ? T.score_saved
        : fmt(T.your_score, { total: score(mine.total) }), true);
    }
  }
  var scoreForm = $("score-form");
  if (scoreForm) {
    scoreForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var scores = {};
      scoreForm.querySelectorAll("#score-fields input").forEach(function (input) {
        if (input.value !== "") { scores[input.name] = Number(input.value); }
      });
      act("score", { scores: scores, comment: $("score-comment").value }, "score-result", function (ok) {
        if (ok) { say("score-result", T.score_saved, true); }
      });
    });
  }

  function renderResults() {
    var card = $("results-card"), list = $("results-list");
    var keys = Object.keys(state.results || {});
    card.classList.toggle("d-none", !keys.length);
    clear(list);
    keys.forEach(function (slotId) {
      var r = state.results[slotId];
      var entry = null;
      state.program.forEach(function (p) { if (String(p.slot_id) === slotId) { entry = p; } });
      var li = el("li", "list-group-item");
      li.appendChild(el("span", "fw-semibold", pick(entry, "title")));
      li.appendChild(el("span", "ms-2", counted("mean", r.count, { mean: score(r.mean) })));
      list.appendChild(li);
    });
  }

  // --- docking ----------------------------------------------------------------------
  function renderDocking() {
    var list = $("docking-list");
    if (!list) { return; }
    clear(list);
    var empty = $("docking-empty");
    if (empty) { empty.classList.toggle("d-none", Object.keys(state.docking).length > 0); }
    Object.keys(state.docking).map(function (k) { return state.docking[k]; })
      .sort(function (a, b) { return b.id - a.id; })
      .forEach(function (d) {
        var text = fmt(d.kind === "talk" ? T.docking_talk : T.docking_interest, { district: pick(d, "district"), project: pick(d, "project") });
        var li = el("li", "list-group-item", text);
        if (d.note) { li.appendChild(el("div", "small text-muted", d.note)); }
        list.appendChild(li);
      });
  }
  var dockForm = $("dock-form");
  if (dockForm) {
    var kind = "interest";
    dockForm.querySelectorAll("[data-kind]").forEach(function (b) {
      b.addEventListener("click", function () { kind = b.dataset.kind; });
    });
    dockForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      act("dock", { kind: kind, note: $("dock-note").value }, "dock-result", function (ok) {
        if (ok) { say("dock-result", T.docking_sent, true); }
      });
    });
  }
  status(T.connecting, "secondary");
})();
