"""Janus (VideoRoom) as the live stage's media server, driven over its HTTP API by Roadshow.

With ``ROADSHOW_JANUS_URL`` set (e.g. ``http://127.0.0.1:8088/janus``), each live room gets a
VideoRoom room of its own, created by Roadshow with a per-room ``secret`` (to manage it) and a
``pin`` (to watch: only members of the room receive it) and an empty ``allowed`` list. A member
the stage allows to publish (roadshow.live.media) gets a publisher token, added to the room's
``allowed`` list just then; VideoRoom refuses a publisher join without a listed token, so a
viewer cannot publish and a token of another room is refused. When the stage moves on, the
tokens of who may no longer publish are removed and their publishers kicked.

Tokens are ``<user id>.<HMAC of room and user>``: stable for a user in a room (re-added when
they come back on stage), useless in any other room.

The host's mute is the media server's: :meth:`Janus.moderate` sends VideoRoom's ``moderate``
request for the publisher's audio (or video) ``mid``, and Janus stops forwarding that stream to
every viewer, whatever the publisher's page does, until the host lifts it. The ``mid``s come
from the room's publisher list, which Roadshow reads by joining the room as a passive
participant of its own (an ``observer`` token on the room's list; it never publishes).

Rooms are created with ``lock_record``: only Roadshow (with the room's ``secret``) switches
recording on, into a folder of its choosing (:meth:`Janus.record`; who is recorded and with
whose consent is roadshow.live.recordings' say).

``ROADSHOW_JANUS_API_SECRET`` is Janus's ``api_secret`` (if the server sets one) and
``ROADSHOW_JANUS_ADMIN_KEY`` the VideoRoom plugin's ``admin_key`` (needed to create rooms when
the plugin sets one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("roadshow.live.janus")

#: VideoRoom's error codes Roadshow reads
ROOM_EXISTS, NO_SUCH_ROOM, NO_SUCH_FEED, UNAUTHORIZED = 427, 426, 428, 433
#: the largest VideoRoom room id (a JSON number JavaScript reads exactly)
ROOM_OFFSET = 7_000_000
PUBLISHERS = 6
TIMEOUT = 5.0


class JanusError(RuntimeError):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class JanusRoom:
    """What a member's page needs to reach the room (the secret stays on the server)."""

    room: int
    pin: str


def _derive(key: str, *parts: object) -> str:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def room_number(room_id: int) -> int:
    return ROOM_OFFSET + room_id


def room_secret(key: str, room_id: int) -> str:
    return _derive(key, "janus-secret", room_id)


def room_pin(key: str, room_id: int) -> str:
    return _derive(key, "janus-pin", room_id)[:16]


def publisher_token(key: str, room_id: int, user_id: int) -> str:
    return f"{user_id}.{_derive(key, 'janus-publisher', room_id, user_id)}"


def observer_token(key: str, room_id: int) -> str:
    """Roadshow's own token in a room: it joins to read the publishers' streams, never publishes
    (not a user id, so :meth:`Janus.allowed_users` leaves it out)."""
    return f"observer.{_derive(key, 'janus-observer', room_id)}"


def for_room(config: Any, room_id: int) -> Janus | None:
    """The media server of live room ``room_id`` under the application's ``config`` (as
    roadshow.live.signalling picks it: room ``n`` on the ``n mod count``-th URL), else None."""
    urls = [url.strip() for url in (config.get("JANUS_URL") or "").split(",") if url.strip()]
    if not urls:
        return None
    return Janus(urls[room_id % len(urls)], config["SECRET_KEY"], config.get("JANUS_API_SECRET"),
                 config.get("JANUS_ADMIN_KEY"))


class Janus:
    """One Janus server's HTTP API: a session and a VideoRoom handle per call sequence."""

    def __init__(self, url: str, key: str, api_secret: str | None = None,
                 admin_key: str | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("ROADSHOW_JANUS_URL must be an http:// or https:// address")
        self.url = url.rstrip("/")
        self.key = key
        self.api_secret = api_secret
        self.admin_key = admin_key

    # --- the HTTP API --------------------------------------------------------------------------
    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        body = {**body, "transaction": secrets.token_hex(8)}
        if self.api_secret:
            body["apisecret"] = self.api_secret
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked in __init__
            f"{self.url}{path}", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read())
        if answer.get("janus") == "error":
            error = answer.get("error", {})
            raise JanusError(int(error.get("code", 0)), str(error.get("reason", "")))
        return answer

    def _poll(self, session: int, timeout: float) -> dict[str, Any] | None:
        """One event of ``session`` (a long poll), or None when none came."""
        query = "?maxev=1" + (f"&apisecret={self.api_secret}" if self.api_secret else "")
        with urllib.request.urlopen(f"{self.url}/{session}{query}",  # noqa: S310 - checked
                                    timeout=timeout) as response:
            event: dict[str, Any] = json.loads(response.read())
        return None if event.get("janus") == "keepalive" else event

    def videoroom(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one synchronous VideoRoom request; returns its data or raises JanusError."""
        session = self._post("", {"janus": "create"})["data"]["id"]
        try:
            handle = self._post(f"/{session}", {"janus": "attach",
                                                "plugin": "janus.plugin.videoroom"})["data"]["id"]
            answer = self._post(f"/{session}/{handle}", {"janus": "message", "body": request})
            data: dict[str, Any] = answer.get("plugindata", {}).get("data", {})
            if data.get("videoroom") == "event" and data.get("error_code"):
                raise JanusError(int(data["error_code"]), str(data.get("error", "")))
            return data
        finally:
            try:
                self._post(f"/{session}", {"janus": "destroy"})
            except (OSError, JanusError):
                log.warning("could not close a Janus session")

    # --- rooms -----------------------------------------------------------------------------------
    def ensure_room(self, room_id: int, description: str = "") -> JanusRoom:
        """Create the live room's VideoRoom room unless it exists."""
        request: dict[str, Any] = {
            "request": "create", "room": room_number(room_id), "permanent": False,
            "description": description[:100] or f"Roadshow live room {room_id}",
            "secret": room_secret(self.key, room_id), "pin": room_pin(self.key, room_id),
            "is_private": True, "allowed": [], "publishers": PUBLISHERS,
            "videocodec": "vp8", "audiocodec": "opus", "notify_joining": False,
            "lock_record": True,
        }
        if self.admin_key:
            request["admin_key"] = self.admin_key
        try:
            self.videoroom(request)
        except JanusError as error:
            if error.code != ROOM_EXISTS:
                raise
        return self.room(room_id)

    def room(self, room_id: int) -> JanusRoom:
        return JanusRoom(room_number(room_id), room_pin(self.key, room_id))

    def destroy_room(self, room_id: int) -> None:
        try:
            self.videoroom({"request": "destroy", "room": room_number(room_id),
                            "secret": room_secret(self.key, room_id)})
        except JanusError as error:
            if error.code != NO_SUCH_ROOM:
                raise

    def _allowed(self, room_id: int, action: str, tokens: list[str]) -> list[str]:
        data = self.videoroom({"request": "allowed", "room": room_number(room_id),
                               "secret": room_secret(self.key, room_id), "action": action,
                               "allowed": tokens})
        return list(data.get("allowed") or [])

    def grant(self, room_id: int, user_id: int, description: str = "") -> str:
        """Let ``user_id`` publish in the room (the caller checked the stage); their token."""
        self.ensure_room(room_id, description)
        token = publisher_token(self.key, room_id, user_id)
        self._allowed(room_id, "add", [token])
        return token

    def revoke(self, room_id: int, user_ids: list[int]) -> None:
        """Take the users' tokens off the room's list and kick their publishers."""
        if not user_ids:
            return
        try:
            self._allowed(room_id, "remove",
                          [publisher_token(self.key, room_id, u) for u in user_ids])
        except JanusError as error:
            if error.code == NO_SUCH_ROOM:
                return
            raise
        publishing = set(self.publishers(room_id))
        for user_id in user_ids:
            if user_id in publishing:
                self.kick(room_id, user_id)

    def kick(self, room_id: int, participant_id: int) -> None:
        try:
            self.videoroom({"request": "kick", "room": room_number(room_id),
                            "secret": room_secret(self.key, room_id), "id": participant_id})
        except JanusError as error:
            log.info("kick of %s in room %s: %s", participant_id, room_id, error)

    def publishers(self, room_id: int) -> list[int]:
        """The participant ids in the room that publish now."""
        try:
            data = self.videoroom({"request": "listparticipants", "room": room_number(room_id)})
        except JanusError as error:
            if error.code == NO_SUCH_ROOM:
                return []
            raise
        return [int(p["id"]) for p in data.get("participants", []) if p.get("publisher")]

    def record(self, room_id: int, folder: str | None, on: bool) -> None:
        """Record the room's publishers into ``folder`` (a path on the Janus machine), or stop."""
        secret = room_secret(self.key, room_id)
        if on and folder:
            self.videoroom({"request": "edit", "room": room_number(room_id), "secret": secret,
                            "new_rec_dir": folder})
        self.videoroom({"request": "enable_recording", "room": room_number(room_id),
                        "secret": secret, "record": on})

    def streams(self, room_id: int) -> dict[int, list[dict[str, Any]]]:
        """The streams of each active publisher (participant id -> ``[{"type", "mid",
        "moderated", ...}]``), as VideoRoom lists them to a participant who joins."""
        token = observer_token(self.key, room_id)
        try:
            self._allowed(room_id, "add", [token])
        except JanusError as error:
            if error.code == NO_SUCH_ROOM:
                return {}
            raise
        session = self._post("", {"janus": "create"})["data"]["id"]
        try:
            handle = self._post(f"/{session}", {"janus": "attach",
                                                "plugin": "janus.plugin.videoroom"})["data"]["id"]
            self._post(f"/{session}/{handle}", {"janus": "message", "body": {
                "request": "join", "ptype": "publisher", "room": room_number(room_id),
                "pin": room_pin(self.key, room_id), "token": token, "display": "roadshow"}})
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                event = self._poll(session, TIMEOUT)
                data = (event or {}).get("plugindata", {}).get("data", {})
                if data.get("error_code"):
                    raise JanusError(int(data["error_code"]), str(data.get("error", "")))
                if data.get("videoroom") == "joined":
                    return {int(p["id"]): list(p.get("streams") or [])
                            for p in data.get("publishers") or []}
            raise JanusError(0, "no answer to the observer's join")
        finally:
            try:
                self._post(f"/{session}", {"janus": "destroy"})
            except (OSError, JanusError):
                log.warning("could not close a Janus session")

    def moderate(self, room_id: int, participant_id: int, kind: str, mute: bool) -> list[str]:
        """Stop (``mute``) or let through again what ``participant_id`` sends of ``kind``
        ("audio" or "video") to everyone in the room; the ``mid``s moderated (none when they
        do not publish that now)."""
        mids = [str(s["mid"]) for s in self.streams(room_id).get(participant_id, [])
                if s.get("type") == kind and "mid" in s]
        for mid in mids:
            self.videoroom({"request": "moderate", "room": room_number(room_id),
                            "secret": room_secret(self.key, room_id), "id": participant_id,
                            "mid": mid, "mute": mute})
        return mids

    def allowed_users(self, room_id: int) -> list[int]:
        """The users whose tokens are on the room's list now."""
        return sorted(int(t.split(".", 1)[0]) for t in self._allowed(room_id, "add", [])
                      if t.split(".", 1)[0].isdigit())
