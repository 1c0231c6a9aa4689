"""The host's mute is the media server's (roadshow.live.janus ``moderate``): a real Janus, an
aiortc publisher sending sound and picture; after the host mutes (or ends the share), Janus
lists the stream as moderated and stops forwarding it until the host lets it back; a member
who is not the host is refused by Roadshow and nothing changes on the media server."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

from roadshow.live.janus import Janus, publisher_token, room_number, room_pin
from roadshow.live.models import LiveRoom, MediaBlock
from tests.live.conftest import act, hello
from tests.live.janus_process import ADMIN_KEY, janus_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow
KEY = "test-secret-key"


class Publisher:
    """An aiortc peer publishing silence and a test picture into a VideoRoom room, on a loop
    of its own (the test goes on synchronously)."""

    def __init__(self, url: str, room: int, pin: str, user_id: int, token: str) -> None:
        self.url, self.room, self.pin, self.user_id, self.token = url, room, pin, user_id, token
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.pc: RTCPeerConnection | None = None
        self.http: aiohttp.ClientSession | None = None

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        assert self.http is not None
        async with self.http.post(f"{self.url}{path}",
                                  json={**body, "transaction": str(time.monotonic_ns())}) as reply:
            return dict(await reply.json(content_type=None))

    async def _event(self, session: int) -> dict[str, Any]:
        assert self.http is not None
        while True:
            async with self.http.get(f"{self.url}/{session}?maxev=1") as reply:
                event = await reply.json(content_type=None)
            if event.get("janus") == "event":
                return dict(event)

    async def _publish(self) -> None:
        self.http = aiohttp.ClientSession()
        session = (await self._post("", {"janus": "create"}))["data"]["id"]
        handle = (await self._post(f"/{session}", {"janus": "attach",
                                                   "plugin": "janus.plugin.videoroom"}))["data"]["id"]
        await self._post(f"/{session}/{handle}", {"janus": "message", "body": {
            "request": "join", "ptype": "publisher", "room": self.room, "pin": self.pin,
            "id": self.user_id, "token": self.token}})
        joined = (await self._event(session))["plugindata"]["data"]
        assert joined.get("videoroom") == "joined", joined
        self.pc = RTCPeerConnection()
        self.pc.addTransceiver(AudioStreamTrack(), direction="sendonly")
        self.pc.addTransceiver(VideoStreamTrack(), direction="sendonly")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        offer = {"type": "offer", "sdp": self.pc.localDescription.sdp, "trickle": False}
        await self._post(f"/{session}/{handle}", {"janus": "message", "jsep": offer, "body": {
            "request": "publish", "audio": True, "video": True}})
        answer = await self._event(session)
        await self.pc.setRemoteDescription(RTCSessionDescription(
            sdp=answer["jsep"]["sdp"], type=answer["jsep"]["type"]))

    def publish(self) -> None:
        self.run(self._publish())

    async def _close(self) -> None:
        if self.pc is not None:
            await self.pc.close()
        if self.http is not None:
            await self.http.close()

    def close(self) -> None:
        self.run(self._close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def wait_for_streams(janus: Janus, room_id: int, user_id: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        streams = janus.streams(room_id).get(user_id)
        if streams:
            return streams
        time.sleep(0.2)
    raise AssertionError("the publisher never came up on Janus")


def moderated(janus: Janus, room_id: int, user_id: int) -> dict[str, bool]:
    return {s["type"]: bool(s.get("moderated")) for s in janus.streams(room_id)[user_id]}


@pytest.fixture
def publishing(janus_server) -> Iterator[Any]:  # noqa: F811
    started: list[Publisher] = []

    def start(key: str, room_id: int, user_id: int) -> Publisher:
        publisher = Publisher(janus_server.url, room_number(room_id), room_pin(key, room_id),
                              user_id, publisher_token(key, room_id, user_id))
        started.append(publisher)
        publisher.publish()
        return publisher

    yield start
    for publisher in started:
        publisher.close()


def test_a_moderated_stream_is_marked_on_janus_until_it_is_let_back(janus_server, publishing):  # noqa: F811
    janus = Janus(janus_server.url, KEY, admin_key=ADMIN_KEY)
    janus.grant(911, 5)
    publishing(KEY, 911, 5)
    streams = wait_for_streams(janus, 911, 5)
    assert {s["type"] for s in streams} == {"audio", "video"}
    assert moderated(janus, 911, 5) == {"audio": False, "video": False}
    assert janus.moderate(911, 5, "audio", True) == [s["mid"] for s in streams if s["type"] == "audio"]
    assert moderated(janus, 911, 5) == {"audio": True, "video": False}
    janus.moderate(911, 5, "video", True)
    janus.moderate(911, 5, "audio", False)
    assert moderated(janus, 911, 5) == {"audio": False, "video": True}
    assert janus.moderate(911, 6, "audio", True) == []  # not publishing: nothing to moderate
    assert janus.allowed_users(911) == [5]  # Roadshow's observer is no user


@pytest.fixture
def app_config(app_config: dict[str, Any], janus_server) -> dict[str, Any]:  # noqa: F811
    app_config["JANUS_URL"] = janus_server.url
    app_config["JANUS_ADMIN_KEY"] = ADMIN_KEY
    return app_config


def test_the_host_mutes_on_the_media_server_and_a_judge_cannot(roadshow, connect, app, db,
                                                               publishing):
    host = connect(roadshow.organizer, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]
    presenter_user = roadshow.presenters[0]
    presenter = connect(presenter_user, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    assert hello(presenter)["video"]["backend"] == "janus"
    granted = act(presenter, "rtc_publish")
    assert granted["ok"], granted
    room = db.session.query(LiveRoom).filter_by(session_id=roadshow.session.id).one()
    janus = Janus(app.config["JANUS_URL"], app.config["SECRET_KEY"], admin_key=ADMIN_KEY)
    publishing(app.config["SECRET_KEY"], room.id, presenter_user.id)
    wait_for_streams(janus, room.id, presenter_user.id)

    refused = act(judge, "video_control", user_id=presenter_user.id, action="mute")
    assert refused["error"] == "not_host"
    assert moderated(janus, room.id, presenter_user.id) == {"audio": False, "video": False}

    muted = act(host, "video_control", user_id=presenter_user.id, action="mute")
    assert muted == {"ok": True, "enforced": True, "blocked": ["audio"]}
    assert moderated(janus, room.id, presenter_user.id) == {"audio": True, "video": False}
    assert hello(host)["video"]["blocked"] == {str(presenter_user.id): ["audio"]}  # after a reload
    assert "blocked" not in hello(judge)["video"]
    ended = act(host, "video_control", user_id=presenter_user.id, action="end_screen")
    assert ended["blocked"] == ["audio", "video"]
    assert moderated(janus, room.id, presenter_user.id) == {"audio": True, "video": True}
    # publishing anew does not undo the host's mute
    assert act(presenter, "rtc_publish", ready=True)["ok"]
    assert moderated(janus, room.id, presenter_user.id) == {"audio": True, "video": True}

    assert act(host, "video_control", user_id=presenter_user.id, action="unmute")["blocked"] == ["video"]
    assert act(host, "video_control", user_id=presenter_user.id, action="allow_video")["blocked"] == []
    assert moderated(janus, room.id, presenter_user.id) == {"audio": False, "video": False}

    act(host, "video_control", user_id=presenter_user.id, action="mute")
    assert act(host, "stage", command="next")["ok"]  # off the stage: the block ends with it
    assert db.session.query(MediaBlock).filter_by(room_id=room.id).count() == 0
