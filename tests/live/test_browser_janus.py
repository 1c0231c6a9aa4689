"""Video on the live stage through a real Janus (started by the tests): the presenter publishes
with simulcast, three viewers in their own contexts decode frames forwarded by the media server,
the host calls the next item and the first presenter's token is revoked and their picture ends,
a viewer cannot get a publisher token."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from roadshow.live.janus import ROOM_OFFSET, Janus
from tests.conftest import free_port
from tests.live.janus_process import ADMIN_KEY, janus_server  # noqa: F401 - the fixture
from tests.live.rooms import build_room, create_schema
from tests.live.servers import Server, server_env
from tests.live.test_browser import STEP_MS, signed_in_page
from tests.live.test_browser_video import MEDIA_MS, add_video_people, frames_decoded

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
SECRET_KEY = "live-multiprocess-secret"  # tests.live.servers.server_env's


@contextmanager
def room_pages(browser: Any, base_url: str, room: str
               ) -> Iterator[tuple[Callable[[str], Any], list[list[str]]]]:
    """``open_page(email)`` signs someone in to the room in a browser context of their own; the
    console errors of each page gather in the list; every context is closed afterwards."""
    pages: list[Any] = []
    errors: list[list[str]] = []

    def open_page(email: str) -> Any:
        page, page_errors = signed_in_page(browser, base_url, email, room)
        pages.append(page)
        errors.append(page_errors)
        return page

    try:
        yield open_page, errors
    finally:
        for page in pages:
            page.context.close()


@pytest.fixture(scope="module")
def janus_roadshow(janus_server, tmp_path_factory) -> Iterator[Any]:  # noqa: F811
    root = tmp_path_factory.mktemp("janus-live")
    database_url = f"sqlite:///{root / 'live.db'}"
    create_schema(database_url)
    port = free_port()
    server = Server(port, server_env(database_url, root / "instance", port,
                                     ROADSHOW_JANUS_URL=janus_server.url,
                                     ROADSHOW_JANUS_ADMIN_KEY=ADMIN_KEY),
                    log_path=root / "server.log")
    server.start()
    try:
        yield server, database_url
    finally:
        server.stop(kill=False)


def test_through_janus_viewers_decode_and_the_next_item_ends_the_presenter(browser, janus_roadshow,
                                                                         janus_server):  # noqa: F811
    from playwright.sync_api import expect

    server, database_url = janus_roadshow
    world = add_video_people(build_room(database_url))
    with room_pages(browser, server.url, world["room"]) as (open_page, errors):
        host = open_page(world["organizer"])
        presenter = open_page(world["presenter"])
        viewers = [open_page(email) for email in world["judges"]]
        assert presenter.evaluate("typeof window.RoadshowJanus") == "function"
        host.click("[data-stage=open]")
        expect(host.locator("[data-stage=open]")).to_be_disabled(timeout=STEP_MS)
        host.click("[data-stage=next]")
        expect(presenter.locator("#video-publish")).to_be_visible(timeout=STEP_MS)
        presenter.click("#video-publish")
        expect(presenter.locator("#video-stop")).to_be_visible(timeout=STEP_MS)

        started = time.monotonic()
        for viewer in viewers:
            expect(viewer.locator("#video-tiles figure")).to_have_count(1, timeout=MEDIA_MS)
            assert frames_decoded(viewer, at_least=5) >= 5
        first_frames_s = time.monotonic() - started
        sent = presenter.evaluate("window.RoadshowVideo.framesSent()")
        assert sent["frames"] > 0
        assert sent["layers"] >= 2, sent  # simulcast: one upload, several layers, whatever the audience

        refused = viewers[0].evaluate("window.RoadshowVideo.publish()")
        assert refused["error"] == "not_on_stage"
        video = host.evaluate("new Promise(done => window.RoadshowLive.socket.emit("
                              "'hello', {}, answer => done(answer.snapshot.video)))")
        assert video["backend"] == "janus"
        room_id = video["janus"]["room"] - ROOM_OFFSET
        media_server = Janus(janus_server.url, SECRET_KEY, admin_key=ADMIN_KEY)
        presenter_id = presenter.evaluate("new Promise(done => window.RoadshowLive.socket.emit("
                                          "'hello', {}, answer => done(answer.snapshot.you.user_id)))")
        assert media_server.publishers(room_id) == [presenter_id]
        assert media_server.allowed_users(room_id) == [presenter_id]

        host.click("[data-stage=next]")
        expect(presenter.locator("#video-stop")).to_be_hidden(timeout=STEP_MS)
        for viewer in viewers:
            expect(viewer.locator("#video-tiles figure")).to_have_count(0, timeout=STEP_MS)
        deadline = time.monotonic() + STEP_MS / 1000  # the server revokes just after the stage event
        while media_server.allowed_users(room_id) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert media_server.allowed_users(room_id) == []  # the token is off the room's list
        assert media_server.publishers(room_id) == []
        assert all(e == [] for e in errors), errors
        print(f"three viewers decoding through Janus within {first_frames_s:.1f} s")
