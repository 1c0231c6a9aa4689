"""The host's mute buttons in the live room, against a real Janus (started by the tests): the
host presses "Mute their microphone" on the presenter's tile (from the keyboard), Janus marks
the presenter's sound as moderated and stops forwarding it (a viewer's getStats receives no
more sound packets) while the picture goes on; "Let them be heard again" lifts it on Janus and
the sound flows again."""

from __future__ import annotations

import time
from typing import Any

import pytest

from roadshow.live.janus import ROOM_OFFSET, Janus
from tests.live.janus_process import ADMIN_KEY, janus_server  # noqa: F401 - the fixture
from tests.live.rooms import build_room
from tests.live.test_browser import STEP_MS
from tests.live.test_browser_janus import (  # noqa: F401 - janus_roadshow: the fixture
    SECRET_KEY,
    janus_roadshow,
    room_pages,
)
from tests.live.test_browser_video import MEDIA_MS, add_video_people, frames_decoded
from tests.live.test_janus_mute import moderated

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
#: how long the sound is watched before and after each button (not a speed target)
LISTEN_S = 2.0


def sound_packets(page: Any) -> int:
    return int(page.evaluate("window.RoadshowVideo.audioReceived()"))


def sound_grows(page: Any, seconds: float = LISTEN_S) -> int:
    """How many sound packets ``page`` received in ``seconds``."""
    before = sound_packets(page)
    page.wait_for_timeout(seconds * 1000)
    return sound_packets(page) - before


def wait_moderated(janus: Any, room_id: int, user_id: int, want: dict[str, bool]) -> None:
    deadline = time.monotonic() + STEP_MS / 1000
    while moderated(janus, room_id, user_id) != want and time.monotonic() < deadline:
        time.sleep(0.1)
    assert moderated(janus, room_id, user_id) == want


def test_the_hosts_mute_button_stops_the_presenters_sound_on_janus_until_unmuted(
        browser, janus_roadshow, janus_server):  # noqa: F811
    from playwright.sync_api import expect

    server, database_url = janus_roadshow
    world = add_video_people(build_room(database_url))
    with room_pages(browser, server.url, world["room"]) as (open_page, errors):
        host = open_page(world["organizer"])
        presenter = open_page(world["presenter"])
        viewer = open_page(world["judges"][0])
        host.click("[data-stage=open]")
        expect(host.locator("[data-stage=open]")).to_be_disabled(timeout=STEP_MS)
        host.click("[data-stage=next]")
        expect(presenter.locator("#video-publish")).to_be_visible(timeout=STEP_MS)
        presenter.click("#video-publish")
        expect(presenter.locator("#video-stop")).to_be_visible(timeout=STEP_MS)
        expect(viewer.locator("#video-tiles figure")).to_have_count(1, timeout=MEDIA_MS)
        frames_decoded(viewer, at_least=5)

        video = host.evaluate("new Promise(done => window.RoadshowLive.socket.emit("
                              "'hello', {}, answer => done(answer.snapshot.video)))")
        assert video["backend"] == "janus"
        room_id = video["janus"]["room"] - ROOM_OFFSET
        presenter_id = presenter.evaluate("new Promise(done => window.RoadshowLive.socket.emit("
                                          "'hello', {}, answer => done(answer.snapshot.you.user_id)))")
        media_server = Janus(janus_server.url, SECRET_KEY, admin_key=ADMIN_KEY)
        assert moderated(media_server, room_id, presenter_id) == {"audio": False, "video": False}
        deadline = time.monotonic() + MEDIA_MS / 1000
        while sound_packets(viewer) == 0 and time.monotonic() < deadline:
            viewer.wait_for_timeout(250)
        heard = sound_grows(viewer)
        assert heard > 10, heard  # the fake microphone's sound reaches the viewer through Janus

        tile = host.locator("#video-tiles figure")
        expect(tile).to_have_count(1, timeout=MEDIA_MS)
        mute = tile.get_by_role("button", name="Mute their microphone")
        mute.focus()
        host.keyboard.press("Enter")
        wait_moderated(media_server, room_id, presenter_id, {"audio": True, "video": False})
        expect(presenter.locator("#video-notice")).to_contain_text("muted your microphone",
                                                                   timeout=STEP_MS)
        unmute = tile.get_by_role("button", name="Let them be heard again")
        expect(unmute).to_be_visible(timeout=STEP_MS)
        viewer.wait_for_timeout(500)  # what was under way when Janus was told
        muted = sound_grows(viewer)
        frames = frames_decoded(viewer)
        assert muted <= 2, muted  # Janus forwards no more of the presenter's sound
        assert frames_decoded(viewer, at_least=frames + 5) > frames  # the picture goes on

        unmute.focus()
        host.keyboard.press("Space")
        wait_moderated(media_server, room_id, presenter_id, {"audio": False, "video": False})
        expect(tile.get_by_role("button", name="Mute their microphone")).to_be_visible(
            timeout=STEP_MS)
        expect(presenter.locator("#video-notice")).to_contain_text("hear you again",
                                                                   timeout=STEP_MS)
        viewer.wait_for_timeout(500)
        again = sound_grows(viewer)
        assert again > 10, again  # forwarded again (silence until the presenter's microphone is on)
        assert all(e == [] for e in errors), errors
        print(f"sound packets in {LISTEN_S} s: {heard} before the mute, {muted} muted, "
              f"{again} after")
