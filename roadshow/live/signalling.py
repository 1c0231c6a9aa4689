"""Video on the live stage without a media server: browser-to-browser WebRTC, signalled over
the ``/live`` namespace (the namespace's ``rtc_*`` and ``video_*`` handlers delegate here).

Who may send is the stage's say (:mod:`roadshow.live.media`), checked on every offer:

``rtc_publish``
    An allowed member announces their picture; the server adds their connection to the room's
    publishers and tells the room (``rtc_publisher``). Anyone else is refused (``not_on_stage``).
    With Janus configured (:mod:`roadshow.live.janus`) the answer carries the member's publisher
    token for the room's VideoRoom, and the room is told once the picture is up (``ready``).
``rtc_watch``
    A viewer asks the publishers (or one of them) for the picture; each answers with an offer.
``rtc_signal``
    Offer, answer, ICE candidates and the like, passed to one connection of the same room only
    (a connection of another room is refused, ``not_in_room``); an offer, or the publisher's
    "room full", only from someone the stage allows to publish now.
``rtc_stop``
    Sent by the server to the whole room when the host moves the stage: the presenters, the
    districts and the guests named stop publishing, and viewers drop their pictures.
``video_caption``
    Who may publish writes a caption line (what is said, in the other language, a correction)
    that the whole room reads under the video.
``video_guest`` / ``video_control`` / ``video_people``
    The host brings a judge or a district on stage (or takes them off), mutes someone's
    microphone or ends their screen share, and lists who could be brought on. With Janus the
    mute and the end of a share are the media server's (VideoRoom ``moderate``): it stops
    forwarding that audio (or video) to everyone until the host lets it back (``unmute``,
    ``allow_video``), and applies it again when the member publishes anew (kept as
    :class:`~roadshow.live.models.MediaBlock` rows until the stage no longer lets them on).

The browsers connect to each other directly (a mesh), so each publisher uploads once per
viewer: up to :data:`roadshow.live.media.MESH_LIMIT` viewers; past that the publisher answers
"full" and the viewer is pointed to the session's meeting link.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import join_room, leave_room
from sqlalchemy import select

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.jobs import services as jobs
from roadshow.jobs.queue import job_queue
from roadshow.live import media, membership, recording_captions, recordings
from roadshow.live.exceptions import LiveError
from roadshow.live.janus import Janus, JanusError, JanusRoom
from roadshow.live.models import LiveEvent, LivePresence, LiveRoom, MediaBlock
from roadshow.live.room_events import append_event, load_stage, next_seq
from roadshow.live.state import StageError, StageState
from roadshow.live.turn import ice_servers
from roadshow.organisations import grants

#: what a signal may be
SIGNAL_KINDS = frozenset({"offer", "answer", "candidate", "full", "bye", "audio_only"})
#: the signals that send media or speak for a publisher: only from who may publish now
PUBLISHER_SIGNALS = frozenset({"offer", "full"})
#: the host's controls: what the media server then stops (or lets through again) for everyone,
#: as (kind of stream, blocked); "stop" takes the publisher off the media server
MODERATION = {"mute": ("audio", True), "unmute": ("audio", False),
              "end_screen": ("video", True), "allow_video": ("video", False)}
CONTROL_ACTIONS = frozenset({*MODERATION, "stop"})
CAPTION_LENGTH = 300
log = logging.getLogger("roadshow.live")


def janus_urls(setting: str | None) -> list[str]:
    """``ROADSHOW_JANUS_URL``: one Janus, or several separated by commas."""
    return [url.strip() for url in (setting or "").split(",") if url.strip()]


def publishers_room(room_name: str) -> str:
    return f"{room_name}:publishers"


class Signalling:
    """The video half of the ``/live`` namespace; ``ns`` is the LiveNamespace."""

    def __init__(self, ns: Any) -> None:
        self.ns = ns
        self.janus_rooms: set[int] = set()  # VideoRoom rooms this process knows exist

    def janus(self, room_id: int) -> Janus | None:
        """The media server of a live room, else None (browser to browser): with several
        Janus URLs, room ``n`` goes to the ``n mod count``-th, the same on every process."""
        app_config = self.ns.app.config if self.ns.app is not None else {}
        urls = janus_urls(app_config.get("JANUS_URL"))
        if not urls:
            return None
        return Janus(urls[room_id % len(urls)], app_config["SECRET_KEY"],
                     app_config.get("JANUS_API_SECRET"), app_config.get("JANUS_ADMIN_KEY"))

    def janus_public_url(self, room_id: int) -> str:
        app_config = self.ns.app.config if self.ns.app is not None else {}
        urls = janus_urls(app_config.get("JANUS_PUBLIC_URL") or app_config.get("JANUS_URL"))
        return urls[room_id % len(urls)]

    # --- what the page starts from ------------------------------------------------------------
    def config(self, member: Any, room: LiveRoom) -> dict[str, Any]:
        app_config = self.ns.app.config if self.ns.app is not None else {}
        data: dict[str, Any] = {
            "backend": "mesh", "mesh_limit": media.MESH_LIMIT,
            "may_publish": media.may_publish(load_stage(room), member),
            "ice_servers": ice_servers(app_config.get("TURN_URLS") or [],
                                       app_config.get("TURN_SECRET"), member.user_id, utcnow(),
                                       app_config.get("STUN_URLS") or []),
        }
        if member.is_host:  # what the host stopped, for their buttons after a reload
            blocked: dict[str, list[str]] = {}
            for user_id, kind in db.session.execute(select(MediaBlock.user_id, MediaBlock.kind)
                                                    .where(MediaBlock.room_id == room.id)
                                                    .order_by(MediaBlock.kind)):
                blocked.setdefault(str(user_id), []).append(kind)
            if blocked:
                data["blocked"] = blocked
        janus = self.janus(room.id)
        if janus is not None:
            try:
                where = self._janus_room(janus, room.id)
            except (OSError, JanusError):
                log.exception("Janus unreachable: room %s falls back to browser to browser", room.id)
                return data
            data.update(backend="janus", janus={
                "url": self.janus_public_url(room.id),
                "room": where.room, "pin": where.pin, "id": member.user_id,
                "api_secret": app_config.get("JANUS_API_SECRET")})
        return data

    # --- publishing and watching --------------------------------------------------------------
    def publish(self, data: dict[str, Any]) -> dict[str, Any]:
        client, user, room = self.ns._context()
        if client is None or user is None or room is None:
            return self.ns._refuse("not_member", client)
        if not media.may_publish(load_stage(room), client.member):
            return self.ns._refuse("not_on_stage", client)
        janus = self.janus(room.id)
        if janus is not None and not data.get("ready"):
            # the media server's turn: its token first, the room is told once the picture is up
            try:
                token = janus.grant(room.id, user.id)
            except (OSError, JanusError):
                log.exception("Janus refused a publisher token in room %s", room.id)
                return self.ns._refuse("busy", client)
            return {"ok": True, "sid": request.sid, "token": token, "id": user.id}
        if janus is not None:
            self._apply_blocks(janus, room, user.id)
            self._record(janus, room, client.member)
        join_room(publishers_room(client.room_name))
        announcement = {"sid": request.sid, "user_id": user.id, "role": client.member.role,
                        "district_id": client.member.district_id,
                        "name_en": user.name, "name_zh": user.name_native or user.name,
                        "screen": bool(data.get("screen")), "audio_only": bool(data.get("audio_only"))}
        self.ns.io.emit("rtc_publisher", announcement, to=client.room_name,
                        skip_sid=request.sid, namespace=self.ns.namespace)
        return {"ok": True, "sid": request.sid, "mesh_limit": media.MESH_LIMIT}

    def unpublish(self, _data: dict[str, Any]) -> dict[str, Any]:
        client = self.ns.clients.get(request.sid)
        if client is None:
            return self.ns._refuse("not_member", client)
        leave_room(publishers_room(client.room_name))
        self.ns.io.emit("rtc_gone", {"sid": request.sid, "user_id": client.user_id},
                        to=client.room_name, skip_sid=request.sid, namespace=self.ns.namespace)
        return {"ok": True}

    def left(self, client: Any, sid: str) -> None:
        """A connection closed: its pictures end for everyone."""
        self.ns.io.emit("rtc_gone", {"sid": sid, "user_id": client.user_id},
                        to=client.room_name, namespace=self.ns.namespace)

    def watch(self, data: dict[str, Any]) -> dict[str, Any]:
        client, user, room = self.ns._context()
        if client is None or user is None or room is None:
            return self.ns._refuse("not_member", client)
        target = data.get("to")
        message = {"from": request.sid, "user_id": user.id}
        if target:
            if not self._in_room(str(target), room.id):
                return self.ns._refuse("not_in_room", client)
            self.ns.io.emit("rtc_watch", message, to=str(target), namespace=self.ns.namespace)
        else:
            self.ns.io.emit("rtc_watch", message, to=publishers_room(client.room_name),
                            skip_sid=request.sid, namespace=self.ns.namespace)
        return {"ok": True}

    def signal(self, data: dict[str, Any]) -> dict[str, Any]:
        client, user, room = self.ns._context()
        if client is None or user is None or room is None:
            return self.ns._refuse("not_member", client)
        kind = data.get("kind")
        if kind not in SIGNAL_KINDS:
            return self.ns._refuse("bad_request", client)
        target = str(data.get("to") or "")
        if not target or target == request.sid or not self._in_room(target, room.id):
            return self.ns._refuse("not_in_room", client)
        if kind in PUBLISHER_SIGNALS and not media.may_publish(load_stage(room), client.member):
            return self.ns._refuse("not_on_stage", client)
        message = {"from": request.sid, "user_id": user.id, "kind": kind,
                   "description": data.get("description"), "candidate": data.get("candidate"),
                   "on": bool(data.get("on"))}
        self.ns.io.emit("rtc_signal", message, to=target, namespace=self.ns.namespace)
        return {"ok": True}

    def caption(self, data: dict[str, Any]) -> dict[str, Any]:
        """Who is on stage (or the host) writes a caption line; everyone in the room reads it.
        While the pitch is recorded the line is kept with its time, for the recording's
        captions (roadshow.live.recording_captions)."""
        client, user, room = self.ns._context()
        if client is None or user is None or room is None:
            return self.ns._refuse("not_member", client)
        if not media.may_publish(load_stage(room), client.member):
            return self.ns._refuse("not_on_stage", client)
        text = " ".join(str(data.get("text", "")).split())
        if not text:
            return self.ns._refuse("text_empty", client)
        if len(text) > CAPTION_LENGTH:
            return self.ns._refuse("text_too_long", client)
        if not self.ns._limits().allow("chat", client.room_id, client.user_id):
            return self.ns._refuse("rate_limited", client)
        if recording_captions.keep(db.session, room, user, text) is not None:
            db.session.commit()
        self.ns.io.emit("rtc_caption", {"user_id": user.id, "name_en": user.name,
                                        "name_zh": user.name_native or user.name, "text": text},
                        to=client.room_name, namespace=self.ns.namespace)
        return {"ok": True}

    def _in_room(self, sid: str, room_id: int) -> bool:
        """Is connection ``sid`` in room ``room_id`` (on any server process)?"""
        return db.session.scalar(select(LivePresence.id).where(
            LivePresence.sid == sid, LivePresence.room_id == room_id)) is not None

    # --- the host -----------------------------------------------------------------------------
    def control(self, data: dict[str, Any]) -> dict[str, Any]:
        client, user, room = self.ns._context()
        if client is None or user is None or room is None:
            return self.ns._refuse("not_member", client)
        if not client.member.is_host:
            return self.ns._refuse("not_host", client)
        action = data.get("action")
        try:
            target = int(data["user_id"])
        except (KeyError, TypeError, ValueError):
            return self.ns._refuse("bad_request", client)
        if action not in CONTROL_ACTIONS:
            return self.ns._refuse("bad_request", client)
        janus = self.janus(room.id)
        enforced = False
        if action in MODERATION:
            kind, blocked = MODERATION[action]
            block = db.session.scalar(select(MediaBlock).where(
                MediaBlock.room_id == room.id, MediaBlock.user_id == target, MediaBlock.kind == kind))
            if blocked and block is None:
                db.session.add(MediaBlock(room_id=room.id, user_id=target, kind=kind,
                                          blocked_by_id=user.id))
            elif not blocked and block is not None:
                db.session.delete(block)
            db.session.commit()
            if janus is not None:
                try:  # on the media server: it stops forwarding, whatever their page does
                    enforced = bool(janus.moderate(room.id, target, kind, blocked))
                except (OSError, JanusError):
                    log.exception("could not moderate a publisher in room %s", room.id)
        self.ns.io.emit("rtc_control", {"action": action, "user_id": target},
                        to=f"{client.room_name}:user:{target}", namespace=self.ns.namespace)
        if action == "stop" and janus is not None:
            try:
                janus.kick(room.id, target)  # on the media server too, whatever their page does
                enforced = True
            except (OSError, JanusError):
                log.exception("could not kick a publisher in room %s", room.id)
        return {"ok": True, "enforced": enforced, "blocked": self.blocks(room.id, target)}

    def blocks(self, room_id: int, user_id: int) -> list[str]:
        """What the host stops of ``user_id``'s stream now ("audio", "video")."""
        return sorted(db.session.scalars(select(MediaBlock.kind).where(
            MediaBlock.room_id == room_id, MediaBlock.user_id == user_id)))

    # --- recording (roadshow.live.recordings) ---------------------------------------------------
    def recordings_root(self) -> Any:
        app = self.ns.app
        return recordings.root_folder(app.instance_path, app.config.get("RECORDINGS_DIR"))

    def _record(self, janus: Janus, room: LiveRoom, member: Any) -> None:
        """The presenter of the pitch on stage is on camera: recorded if they consented."""
        application_id = media.on_stage(load_stage(room)).application_id
        if member.role != media.PRESENTER or application_id not in member.presents:
            return
        application = db.session.get(Application, application_id)
        if application is not None and recordings.start(db.session, janus, room, application,
                                                         self.recordings_root()) is not None:
            db.session.commit()

    def _end_recording(self, room: LiveRoom) -> None:
        """The pitch left the stage: its recording ends and is post-processed in the background."""
        recording = recordings.stop(db.session, self.janus(room.id), room)
        if recording is None:
            return
        client = self.ns.clients.get(request.sid)
        actor = db.session.get(User, client.user_id) if client is not None else None
        job = None
        if actor is not None:
            job, _new = jobs.start(db.session, actor, recordings.PROCESS, event_id=recording.event_id,
                                   params={"recording_id": recording.id})
        db.session.commit()
        if job is not None:
            job_queue().enqueue(job)

    def _apply_blocks(self, janus: Janus, room: LiveRoom, user_id: int) -> None:
        """A member publishes anew: the host's blocks hold on the new stream too."""
        for kind in self.blocks(room.id, user_id):
            try:
                janus.moderate(room.id, user_id, kind, True)
            except (OSError, JanusError):
                log.exception("could not moderate a publisher in room %s", room.id)

    def people(self, _data: dict[str, Any]) -> dict[str, Any]:
        """The judges and districts in the room now, whom the host may bring on stage."""
        client, user, room = self.ns._context()
        if client is None or user is None or room is None:
            return self.ns._refuse("not_member", client)
        if not client.member.is_host:
            return self.ns._refuse("not_host", client)
        rows = db.session.execute(select(LivePresence.user_id, LivePresence.role).where(
            LivePresence.room_id == room.id,
            LivePresence.role.in_(sorted(media.GUEST_ROLES))).distinct()).all()
        roles = dict(rows)
        found = []
        for person in db.session.scalars(select(User).where(User.id.in_(sorted(roles)))
                                         .order_by(User.name)):
            entry = {"user_id": person.id, "role": roles[person.id], "name_en": person.name,
                     "name_zh": person.name_native or person.name}
            if person.district is not None:
                entry["district_en"] = person.district.name_en or person.district.name_zh
                entry["district_zh"] = person.district.name_zh or person.district.name_en
            found.append(entry)
        return {"ok": True, "people": found}

    def guest(self, data: dict[str, Any]) -> dict[str, Any]:
        before: dict[str, StageState] = {}

        def run(c: Any, u: User, r: LiveRoom, a: str | None) -> LiveEvent:
            if not c.member.is_host:
                raise LiveError("not_host")
            seq = next_seq(db.session, r)
            current = load_stage(r)
            before["stage"] = current
            target = int(data["user_id"])
            try:
                if data.get("on", True):
                    role = db.session.scalar(select(LivePresence.role).where(
                        LivePresence.room_id == r.id, LivePresence.user_id == target).limit(1))
                    if role is None:
                        raise LiveError("not_in_room")
                    new = media.bring_on(current, target, role)
                else:
                    new = media.take_off(current, target)
            except StageError as error:
                raise LiveError(error.code) from error
            r.stage = new.to_dict()
            return append_event(db.session, r, "stage", {"stage": r.stage, "command": "guest"},
                                actor_id=c.member.user_id, action_id=a, seq=seq)

        answer = self.ns._act(data, run)
        if answer.get("ok") and "stage" in before:
            client = self.ns.clients.get(request.sid)
            if client is not None:
                self.stage_moved(client.room_id, before["stage"])
        return answer

    def stage_moved(self, room_id: int, before: StageState) -> None:
        """After a stage change: who may no longer publish stops, and viewers drop them."""
        room = db.session.get(LiveRoom, room_id, populate_existing=True)
        if room is None:
            return
        gone = media.stopped(before, load_stage(room))
        if not gone:
            return
        user_ids = set(gone.user_ids)
        if gone.application_ids:
            user_ids.update(db.session.scalars(select(Application.applicant_id).where(
                Application.id.in_(sorted(gone.application_ids)))))
        self._revoke(room)
        if gone.application_ids or gone.everyone:
            self._end_recording(room)
        self.ns.io.emit("rtc_stop", {"user_ids": sorted(user_ids),
                                     "district_ids": sorted(gone.district_ids),
                                     "everyone": gone.everyone},
                        to=self.ns.room_name_of(room_id), namespace=self.ns.namespace)


    def _janus_room(self, janus: Janus, room_id: int) -> JanusRoom:
        """The room on the media server, created once per process (a restarted Janus forgets
        its rooms: a publisher's grant creates it again)."""
        if room_id not in self.janus_rooms:
            janus.ensure_room(room_id)
            self.janus_rooms.add(room_id)
        return janus.room(room_id)

    def _revoke(self, room: LiveRoom) -> None:
        """On the media server: the tokens of who may no longer publish go, their pictures too."""
        janus = self.janus(room.id)
        if janus is None:
            return
        try:
            holders = janus.allowed_users(room.id)
            stage = load_stage(room)
            gone = [user_id for user_id in holders if not self._may_publish(room, stage, user_id)]
            janus.revoke(room.id, gone)
            if gone:  # off the stage: the host's blocks end with it
                db.session.execute(MediaBlock.__table__.delete().where(
                    MediaBlock.room_id == room.id, MediaBlock.user_id.in_(gone)))
                db.session.commit()
        except (OSError, JanusError):
            log.exception("could not revoke publisher tokens in room %s", room.id)

    def _may_publish(self, room: LiveRoom, stage: StageState, user_id: int) -> bool:
        user = db.session.get(User, user_id)
        pitch_session = room.session
        if user is None or pitch_session is None:
            return False
        grant = grants.in_event(db.session, user, pitch_session.event)
        member = membership.membership(db.session, user, grant, pitch_session)
        return member is not None and media.may_publish(stage, member)
