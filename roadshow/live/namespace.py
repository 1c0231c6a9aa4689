"""The ``/live`` Socket.IO namespace: thin handlers over the live services (``stage_commands``,
``questions``, ``chat``, ``live_scoring``, ``district_docking``, ``presence``, ``room_snapshot``).

Connecting
    The browser opens ``/live`` with ``auth = {"session_id": N}``. The connect handler refuses
    a foreign ``Origin`` and anonymous users, reads the Flask-Login user from the cookie
    session once (``manage_session=False``), decides from the database whether and as what the
    user belongs to that session's room (from their grant in the session's event: nothing of
    another office's event admits them; an archived event's room admits its members read-only,
    every action refused with ``archived``), and joins the server-chosen rooms: the whole room,
    the hosts' room, the user's own room and (for recruiters) their district's room.

Catching up
    The client then asks ``hello``; the answer is a full snapshot carrying the room's sequence
    number and the last number on each of the client's channels. Every later change arrives in
    ``events`` (a list, each with its ``seq`` and ``prev``, the number before it on each channel
    of its audience: :mod:`roadshow.live.channels`); a client ignores what it already has, and
    when ``prev`` shows it missed something (a broadcast lost while Redis was down) it asks
    ``hello`` again. Every few seconds each process also announces the room's last number
    (``heads``), so a quiet room notices a loss too.

Acting
    Every action carries a client ``action_id``; a retry with the same id answers what the
    first attempt did and changes nothing. Stage changes go out at once (the timer as its UTC
    deadline); chat, questions and votes are persisted at once but sent in batches a few times
    a second (``LIVE_BATCH_SECONDS``; 0 sends at once, as the tests do).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_socketio import Namespace, SocketIO, join_room
from sqlalchemy.exc import IntegrityError, OperationalError

from roadshow.accounts import signals as account_signals
from roadshow.accounts.models import User
from roadshow.core.params import query_int
from roadshow.db import is_locked_error, utcnow
from roadshow.extensions import db
from roadshow.live import (
    channels,
    chat,
    client_input,
    district_docking,
    live_scoring,
    membership,
    payloads,
    presence,
    questions,
    room_events,
    room_snapshot,
    stage_commands,
)
from roadshow.live.batching import RoomBatch
from roadshow.live.exceptions import LiveError
from roadshow.live.following import follow_sessions
from roadshow.live.membership import Member
from roadshow.live.models import LiveEvent, LiveRoom
from roadshow.live.ratelimit import LiveLimits
from roadshow.live.room_events import load_stage
from roadshow.live.signalling import Signalling
from roadshow.organisations import grants
from roadshow.scheduling import signals as schedule_signals
from roadshow.scheduling.models import PitchSession

log = logging.getLogger("roadshow.live")

NAMESPACE = "/live"
#: event kinds sent in batches; everything else goes out at once
BATCHED_KINDS = frozenset({"chat", "chat_deleted", "votes", "question"})
PRESENCE_REFRESH_SECONDS = 20.0
#: how often each process tells its rooms the last event number, so clients notice losses
HEADS_SECONDS = 10.0

MESSAGES = {
    "not_host": _l("Only the host can do that."),
    "not_presenter": _l("Only the presenter on stage can turn the deck's pages."),
    "not_judge": _l("Only judges can score."),
    "not_district": _l("Only a district recruiter can do that."),
    "host_cannot_ask": _l("The host answers questions rather than asking them."),
    "not_open": _l("The room is not open yet."),
    "closed": _l("The session is closed."),
    "already_open": _l("The room is already open."),
    "no_such_item": _l("There is no such item in the programme."),
    "no_next_item": _l("That was the last item of the programme."),
    "nothing_on_stage": _l("Call an item to the stage first."),
    "timer_running": _l("The timer is already running."),
    "timer_not_running": _l("The timer is not running."),
    "bad_extension": _l("Choose a length between one second and thirty minutes."),
    "not_a_pitch": _l("The item on stage is not a pitch."),
    "wrong_phase": _l("That step does not follow from the current phase."),
    "not_presenting": _l("The deck can be turned only during the pitch and its Q&A."),
    "no_such_page": _l("The deck has no such page."),
    "no_such_question": _l("That question no longer exists."),
    "question_not_open": _l("You can vote only on questions the host has approved."),
    "no_such_message": _l("That message no longer exists."),
    "muted": _l("The host has muted you in this room's chat."),
    "rate_limited": _l("You are sending too fast. Wait a few seconds and try again."),
    "text_empty": _l("Write something first."),
    "text_too_long": _l("That is too long. Shorten it and send it again; your text is kept."),
    "scoring_closed": _l("Scoring is open only while the host runs the scoring phase."),
    "conflicted": _l("You have a conflict of interest with this project, so you cannot score it."),
    "no_rubric": _l("The organizer has not set up the rubric yet."),
    "bad_scores": _l("Give every required criterion a score within its scale."),
    "no_project_on_stage": _l("No project is on stage right now."),
    "bad_request": _l("That request could not be understood. Reload the page and try again."),
    "not_member": _l("You are no longer a participant of this room. Reload the page."),
    "not_allowed": _l("You are not allowed to do that."),
    "busy": _l("The server is busy for a moment, so this was not saved. Try again."),
    "archived": _l("This event is archived and can no longer be changed."),
    "not_on_stage": _l("Only who is on stage can send video and sound. The host can bring you on."),
    "not_in_room": _l("That participant is not in this room."),
    "not_a_guest": _l("Only a judge or a district can be brought on stage."),
    "too_many_guests": _l("There are already four guests on stage."),
}


@dataclass(slots=True)
class Client:
    """What the server keeps of one connection (the user is reloaded for every action).

    A full room holds thousands of these, so it is slotted. Rate limits are not kept here but
    per user and room (:mod:`roadshow.live.ratelimit`): a new connection starts no new count."""

    user_id: int
    token: str
    locale: str
    room_id: int
    room_name: str
    member: Member


def room_name(room_id: int) -> str:
    return sys.intern(f"live:{room_id}")  # one string per room, not one per connection


def audience_rooms(room_id: int, audience: str) -> list[str]:
    if audience == "all":
        return [room_name(room_id)]
    names = []
    for part in audience.split(","):
        names.append(f"{room_name(room_id)}:{part}")
    return names


def event_payload(event: LiveEvent) -> dict[str, Any]:
    return {"seq": event.seq, "kind": event.kind, "data": event.data,
            "at": event.created_at.isoformat() if event.created_at else None}


class LiveNamespace(Namespace):
    def __init__(self, socketio: SocketIO) -> None:
        super().__init__(NAMESPACE)
        self.io = socketio
        self.clients: dict[str, Client] = {}
        self.batches: dict[tuple[int, str], RoomBatch] = {}
        self.presence_dirty: set[int] = set()
        self.lock = threading.Lock()
        self.flusher_started = False
        self.app: Any = None
        self.limits: LiveLimits | None = None
        self.signalling = Signalling(self)

    # --- every event's payload is checked here, before its handler runs --------------------
    def trigger_event(self, event: str, sid: str, *args: Any) -> Any:
        if event not in ("connect", "disconnect") and hasattr(self, f"on_{event}"):
            try:
                args = (payloads.check(event, args),)
            except payloads.PayloadError:
                return self.socketio._handle_event(self._bad_payload, event, self.namespace, sid)
        return super().trigger_event(event, sid, *args)

    def _bad_payload(self) -> dict[str, Any]:
        return self._refuse("bad_request", self.clients.get(request.sid))

    # --- connection ------------------------------------------------------------------
    def on_connect(self, auth: Any = None) -> bool:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        self.app = app
        origin = request.headers.get("Origin")
        allowed = {app.config["PUBLIC_BASE_URL"], *app.config.get("LIVE_ALLOWED_ORIGINS", ())}
        if origin and origin.rstrip("/") not in allowed:
            log.warning("refused live connection from origin %s", origin)
            return False
        if not current_user.is_authenticated:
            log.info("refused anonymous live connection")
            return False
        session_id = (auth or {}).get("session_id") if isinstance(auth, dict) else None
        if session_id is None:
            session_id = request.args.get("session_id")
        try:
            pitch_session = db.session.get(PitchSession, query_int(session_id))
        except (TypeError, ValueError):
            pitch_session = None
        if pitch_session is None:
            return False
        user = db.session.get(User, current_user.id)
        # the user's roles in the session's event decide their part (none in another office's
        # event); an archived event's room admits its members read-only
        grant = grants.in_event(db.session, user, pitch_session.event) if user else None
        member = membership.membership(db.session, user, grant, pitch_session) if user and grant else None
        if user is None or member is None:
            log.warning("refused user %s the live room of session %s", current_user.id, session_id)
            return False
        room = room_events.get_room(db.session, pitch_session)
        presence.enter(db.session, room, member, request.sid)
        db.session.commit()
        client = Client(user_id=user.id, token=user.session_token, locale=user.locale,
                        room_id=room.id, room_name=room_name(room.id), member=member)
        with self.lock:
            self.clients[request.sid] = client
        join_room(client.room_name)
        join_room(f"{client.room_name}:user:{user.id}")
        if member.is_host:
            join_room(f"{client.room_name}:host")
        if member.district_id is not None:
            join_room(f"{client.room_name}:district:{member.district_id}")
        self._presence_changed(room.id)
        self._ensure_flusher()
        return True

    def on_disconnect(self, reason: Any = None) -> None:
        with self.lock:
            client = self.clients.pop(request.sid, None)
        try:
            presence.leave(db.session, request.sid)
            db.session.commit()
        except Exception:  # noqa: BLE001 - a lost presence row ages out by itself
            db.session.rollback()
            log.exception("could not record a live disconnect")
        if client is not None:
            self.signalling.left(client, request.sid)
            self._presence_changed(client.room_id)

    # --- reading -----------------------------------------------------------------------
    def on_hello(self, data: Any = None) -> dict[str, Any]:
        """The snapshot a (re)connecting client starts from."""
        client, user, room = self._context()
        if user is None or room is None or client is None:
            return self._refuse("not_member", client)
        with force_locale(client.locale):
            snapshot = room_snapshot.snapshot(db.session, room, client.member, utcnow())
        snapshot["channels"] = channels.heads(room, client.member)
        snapshot["video"] = self.signalling.config(client.member, room)
        return {"ok": True, "snapshot": snapshot}

    # --- acting ------------------------------------------------------------------------
    def on_stage(self, data: Any) -> dict[str, Any]:
        before: dict[str, Any] = {}

        def run(c: Client, u: User, r: LiveRoom, a: str | None) -> LiveEvent | None:
            before["stage"] = load_stage(r)
            return stage_commands.stage_command(
                db.session, r, c.member, str(data.get("command", "")), data, utcnow(), a)

        answer = self._act(data, run)
        client = self.clients.get(request.sid)
        if answer.get("ok") and not answer.get("duplicate") and client and "stage" in before:
            self.signalling.stage_moved(client.room_id, before["stage"])  # the old presenter stops
        return answer

    # --- video (roadshow.live.signalling) -------------------------------------------------
    def on_rtc_publish(self, data: Any) -> dict[str, Any]:
        return self.signalling.publish(data)

    def on_rtc_unpublish(self, data: Any) -> dict[str, Any]:
        return self.signalling.unpublish(data)

    def on_rtc_watch(self, data: Any) -> dict[str, Any]:
        return self.signalling.watch(data)

    def on_rtc_signal(self, data: Any) -> dict[str, Any]:
        return self.signalling.signal(data)

    def on_video_control(self, data: Any) -> dict[str, Any]:
        return self.signalling.control(data)

    def on_video_people(self, data: Any) -> dict[str, Any]:
        return self.signalling.people(data)

    def on_video_guest(self, data: Any) -> dict[str, Any]:
        return self.signalling.guest(data)

    def on_video_caption(self, data: Any) -> dict[str, Any]:
        return self.signalling.caption(data)

    def on_page(self, data: Any) -> dict[str, Any]:
        return self._act(data, lambda c, u, r, a: stage_commands.flip_page(
            db.session, r, c.member, data.get("page"), a))

    def on_ask(self, data: Any) -> dict[str, Any]:
        return self._act(data, lambda c, u, r, a: questions.ask_question(
            db.session, r, c.member, data.get("text"), a), limit="ask")

    def on_moderate(self, data: Any) -> dict[str, Any]:
        return self._act(data, lambda c, u, r, a: questions.moderate_question(
            db.session, r, c.member, data.get("question_id"), data.get("status"), a))

    def on_vote(self, data: Any) -> dict[str, Any]:
        extra: dict[str, Any] = {}

        def run(c: Client, u: User, r: LiveRoom, a: str | None) -> LiveEvent | None:
            event, result = questions.vote(db.session, r, c.member, data.get("question_id"),
                                          data.get("up", True), a)
            extra.update(result)
            return event

        answer = self._act(data, run, limit="vote")
        return {**answer, **extra} if answer.get("ok") else answer

    def on_chat(self, data: Any) -> dict[str, Any]:
        return self._act(data, lambda c, u, r, a: chat.send_chat(
            db.session, r, c.member, data.get("text"), a), limit="chat")

    def on_delete_chat(self, data: Any) -> dict[str, Any]:
        return self._act(data, lambda c, u, r, a: chat.delete_chat(
            db.session, r, c.member, data.get("message_id"), utcnow(), a))

    def on_mute(self, data: Any) -> dict[str, Any]:
        return self._act(data, lambda c, u, r, a: chat.set_mute(
            db.session, r, c.member, data.get("user_id"), bool(data.get("muted", True)), a))

    def on_score(self, data: Any) -> dict[str, Any]:
        return self._act(data, lambda c, u, r, a: live_scoring.submit_score(
            db.session, r, c.member, u, data.get("scores"), data.get("comment"), a))

    def on_dock(self, data: Any) -> dict[str, Any]:
        return self._act(data, lambda c, u, r, a: district_docking.dock(
            db.session, r, c.member, u, data.get("kind"), data.get("note"), a), limit="dock")

    # --- machinery ---------------------------------------------------------------------
    def _context(self) -> tuple[Client | None, User | None, LiveRoom | None]:
        client = self.clients.get(request.sid)
        if client is None:
            return None, None, None
        user = db.session.get(User, client.user_id)
        if user is None or not user.is_active or user.session_token != client.token:
            self.io.server.disconnect(request.sid, namespace=NAMESPACE)
            return client, None, None
        return client, user, db.session.get(LiveRoom, client.room_id)

    def room_name_of(self, room_id: int) -> str:
        return room_name(room_id)

    def _refuse(self, code: str, client: Client | None, message: str | None = None) -> dict[str, Any]:
        locale = client.locale if client else "en"
        with force_locale(locale):
            text = message or str(MESSAGES.get(code, MESSAGES["bad_request"]))
        return {"ok": False, "error": code, "message": text}

    def _act(self, data: dict[str, Any], run: Any, limit: str | None = None) -> dict[str, Any]:
        client, user, room = self._context()
        if client is None or user is None or room is None:
            return self._refuse("not_member", client)
        if client.member.read_only:
            return self._refuse("archived", client)
        try:
            action_id = client_input.check_action_id(data.get("action_id"))
        except LiveError as error:
            return self._refuse(error.code, client)
        done = room_events.find_action(db.session, room, user.id, action_id)
        if done is not None:
            return {"ok": True, "seq": done.seq, "duplicate": True}
        if limit is not None and not self._limits().allow(limit, client.room_id, client.user_id):
            return self._refuse("rate_limited", client)
        try:
            with force_locale(client.locale):
                event = run(client, user, room, action_id)
            db.session.commit()
        except LiveError as error:
            db.session.rollback()
            return self._refuse(error.code, client, error.message)
        except IntegrityError:
            # the same action arrived twice at once (a retry racing its original)
            db.session.rollback()
            done = room_events.find_action(db.session, room, user.id, action_id)
            if done is not None:
                return {"ok": True, "seq": done.seq, "duplicate": True}
            raise
        except OperationalError as error:
            # SQLite stayed locked by another writer (roadshow.db waited, yielding, meanwhile)
            db.session.rollback()
            if not is_locked_error(error):
                raise
            log.warning("live action refused: the database stayed locked")
            return self._refuse("busy", client)
        if event is None:
            return {"ok": True, "seq": None}
        self.deliver(event)
        return {"ok": True, "seq": event.seq}

    def deliver(self, event: LiveEvent) -> None:
        payload = event_payload(event)
        payload["prev"] = channels.previous(event)
        interval = float(self._config("LIVE_BATCH_SECONDS", 0.25))
        if event.kind in BATCHED_KINDS and interval > 0:
            with self.lock:
                self.batches.setdefault((event.room_id, event.audience), RoomBatch()).add(payload)
            return
        payload["sent"] = time.time()
        self.io.emit("events", [payload], to=audience_rooms(event.room_id, event.audience),
                     namespace=NAMESPACE)

    def _limits(self) -> LiveLimits:
        """Made on first use, from the app's rate-limit storage (Redis when configured)."""
        if self.limits is None:
            self.limits = LiveLimits(self._config("RATELIMIT_STORAGE_URI", None),
                                     self._config("LIVE_RATE_LIMITS", None),
                                     self._config("REDIS_NAMESPACE", "roadshow"))
        return self.limits

    def _config(self, key: str, default: Any) -> Any:
        app = self.app
        return app.config.get(key, default) if app is not None else default

    def _presence_changed(self, room_id: int) -> None:
        if float(self._config("LIVE_BATCH_SECONDS", 0.25)) > 0:
            with self.lock:
                self.presence_dirty.add(room_id)
            return
        self._emit_presence([room_id])

    def _emit_presence(self, room_ids: list[int]) -> None:
        now = utcnow()
        for room_id in room_ids:
            data = presence.presence(db.session, room_id, now)
            self.io.emit("presence", data, to=room_name(room_id), namespace=NAMESPACE)

    def _ensure_flusher(self) -> None:
        if self.flusher_started or float(self._config("LIVE_BATCH_SECONDS", 0.25)) <= 0:
            return
        with self.lock:
            if self.flusher_started:
                return
            self.flusher_started = True
        self.io.start_background_task(self._flush_forever, self.app)

    def _flush_forever(self, app: Any) -> None:
        interval = float(app.config.get("LIVE_BATCH_SECONDS", 0.25))
        last_refresh = last_heads = time.monotonic()
        while True:
            self.io.sleep(interval)
            try:
                with app.app_context():
                    self.flush()
                    if time.monotonic() - last_heads >= HEADS_SECONDS:
                        last_heads = time.monotonic()
                        self.announce_heads()
                    if time.monotonic() - last_refresh >= PRESENCE_REFRESH_SECONDS:
                        last_refresh = time.monotonic()
                        presence.refresh_presence(db.session, list(self.clients), utcnow())
                        db.session.commit()
            except Exception:  # noqa: BLE001 - the loop must outlive one bad flush
                log.exception("live flush failed")

    def announce_heads(self) -> None:
        """Tell every room with a connection here the number of its last room-wide event."""
        room_ids = sorted({client.room_id for client in list(self.clients.values())})
        try:
            for room_id in room_ids:
                room = db.session.get(LiveRoom, room_id, populate_existing=True)
                if room is not None:
                    self.io.emit("heads", {channels.ALL: channels.last_room_wide(room)},
                                 to=room_name(room_id), namespace=NAMESPACE)
        finally:
            db.session.remove()

    def flush(self) -> None:
        with self.lock:
            batches, self.batches = self.batches, {}
            dirty, self.presence_dirty = sorted(self.presence_dirty), set()
        for (room_id, audience), batch in batches.items():
            events = batch.take()
            sent = time.time()
            for event in events:
                event["sent"] = sent  # when it left: clients measure delivery from here
            if events:
                self.io.emit("events", events, to=audience_rooms(room_id, audience),
                             namespace=NAMESPACE)
        if dirty:
            try:
                self._emit_presence(dirty)
            finally:
                db.session.remove()

    # --- called from signals -----------------------------------------------------------
    def disconnect_user(self, user_id: int) -> None:
        """End every live connection of a user, on this process and (through the message
        queue) on the others."""
        local = [sid for sid, c in list(self.clients.items()) if c.user_id == user_id]
        try:
            remote = presence.sids_of_user(db.session, user_id)
        except Exception:  # noqa: BLE001 - the local ones still go
            log.exception("could not list a user's live connections")
            remote = []
        for sid in dict.fromkeys(local + remote):
            self.io.server.disconnect(sid, namespace=NAMESPACE)


_namespace: LiveNamespace | None = None


def get_namespace() -> LiveNamespace | None:
    return _namespace


def _end_sessions(_sender: Any, user_id: int | None = None, **_kwargs: Any) -> None:
    if user_id is not None and _namespace is not None:
        _namespace.disconnect_user(int(user_id))


def _follow_schedule(_sender: Any, session_ids: list[int] | None = None, **_kwargs: Any) -> None:
    if session_ids and has_app_context():
        follow_sessions(_namespace, session_ids)


def without_compression(socketio: SocketIO) -> None:
    """Websockets of this server do not negotiate permessage-deflate.

    simple-websocket accepts compression whenever a client offers it (browsers always do). For
    a live room's small JSON frames it buys little, but it gives every connection its own zlib
    compressor (a large share of the server's memory per connection) and compresses every
    broadcast once per viewer (in a 2000-viewer room, the largest single cost of the server's
    CPU). Dropping the client's offer before the handshake keeps plain frames; the stack is
    still simple-websocket, and everything else about the connection is unchanged.
    """
    eio = getattr(socketio.server, "eio", None)
    drivers = getattr(eio, "_async", None)
    if not isinstance(drivers, dict) or drivers.get("websocket") is None:
        return
    base = drivers["websocket"]
    if getattr(base, "plain_frames", False):
        return

    class PlainWebSocket(base):  # type: ignore[misc, valid-type]
        plain_frames = True

        def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
            return super().__call__(environ, start_response)

    eio._async = {**drivers, "websocket": PlainWebSocket}  # this server's copy, not the module's


def register(socketio: SocketIO) -> None:
    """Bind ``/live`` and subscribe to the signals that end or enrich live sessions."""
    global _namespace
    without_compression(socketio)
    namespace = LiveNamespace(socketio)
    socketio.on_namespace(namespace)
    _namespace = namespace
    account_signals.user_logged_out.connect(_end_sessions)
    account_signals.user_access_changed.connect(_end_sessions)
    schedule_signals.schedule_changed.connect(_follow_schedule)
    # the signing ceremony (roadshow.live.ceremony) is connected by signing, a later stage
