"""Video on the live stage in real browsers (Chromium with a fake camera and microphone), the
embedded default: the presenter on stage publishes, three viewers in their own contexts decode
frames, the host calls the next item and the first presenter stops, a viewer's offer is refused,
a connection of another room is refused."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.conftest import _PASSWORD_HASH
from tests.live.rooms import build_room
from tests.live.test_browser import STEP_MS, signed_in_page

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
MEDIA_MS = 30_000  # ICE and the first decoded frame on a busy machine (not a speed target)


def add_video_people(world: dict[str, Any]) -> dict[str, Any]:
    """Two more judges and a second finalist pitching after "Batteries"."""
    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.organisations.models import EventRole, EventRoleKind
    from roadshow.scheduling.models import Slot, SlotKind

    tag, now = world["tag"], datetime.now(UTC)
    engine = create_engine(world["database_url"])
    with Session(engine) as session:
        judges = [User(email=f"judge{i}-{tag}@example.org", password_hash=_PASSWORD_HASH,
                       role=Role.JUDGE, name=f"Judge {i}", email_verified_at=now) for i in (2, 3)]
        second = User(email=f"second-{tag}@example.org", password_hash=_PASSWORD_HASH,
                      role=Role.APPLICANT, name="Second presenter", email_verified_at=now)
        session.add_all([*judges, second])
        session.flush()
        session.add_all([EventRole(event_id=world["event_id"], user_id=j.id, role=EventRoleKind.JUDGE)
                         for j in judges])
        application = Application(event_id=world["event_id"], applicant_id=second.id,
                                  status=ApplicationStatus.FINALIST, title_en="Solar roofs",
                                  title_zh="光伏屋顶")
        session.add(application)
        session.flush()
        last = session.scalars(select(Slot).where(Slot.session_id == world["session_id"])).one()
        session.add(Slot(session_id=world["session_id"], kind=SlotKind.PITCH,
                         application_id=application.id, starts_at=last.ends_at,
                         ends_at=last.ends_at + timedelta(minutes=20), position=1))
        emails = [j.email for j in judges]
        session.commit()
    engine.dispose()
    return {**world, "judges": [world["judge"], *emails],
            "presenter": f"applicant-{tag}@example.org"}


def frames_decoded(page: Any, at_least: int = 1, timeout_ms: int = MEDIA_MS) -> int:
    deadline = time.monotonic() + timeout_ms / 1000
    frames = 0
    while time.monotonic() < deadline:
        frames = page.evaluate("window.RoadshowVideo.framesDecoded()")
        if frames >= at_least:
            return frames
        page.wait_for_timeout(250)
    raise AssertionError(f"only {frames} frames decoded in {timeout_ms} ms")


def test_presenter_publishes_viewers_decode_and_the_next_item_stops_it(browser, shared_server, room_world):
    from playwright.sync_api import expect

    world = add_video_people(room_world)
    url, room = shared_server.url, world["room"]
    pages: list[Any] = []
    errors: list[list[str]] = []
    try:
        def open_page(email: str) -> Any:
            page, page_errors = signed_in_page(browser, url, email, room)
            pages.append(page)
            errors.append(page_errors)
            return page

        host = open_page(world["organizer"])
        presenter = open_page(world["presenter"])
        viewers = [open_page(email) for email in world["judges"]]
        host.click("[data-stage=open]")
        expect(host.locator("[data-stage=open]")).to_be_disabled(timeout=STEP_MS)
        host.click("[data-stage=next]")

        # the finalist on stage may go on camera; nobody else sees the button
        expect(presenter.locator("#video-publish")).to_be_visible(timeout=STEP_MS)
        for viewer in viewers:
            expect(viewer.locator("#video-stage-title, #stage-title")).to_have_text("Batteries", timeout=STEP_MS)
            assert not viewer.locator("#video-publish").is_visible()
        presenter.click("#video-check")
        expect(presenter.locator("#video-check-panel")).to_be_visible()
        expect(presenter.locator("#video-check-level")).to_be_visible()
        presenter.keyboard.press("Escape")
        expect(presenter.locator("#video-check-panel")).to_be_hidden()
        presenter.locator("#video-publish").focus()
        presenter.keyboard.press("Enter")
        expect(presenter.locator("#video-stop")).to_be_visible(timeout=STEP_MS)

        started = time.monotonic()
        for viewer in viewers:
            expect(viewer.locator("#video-tiles figure")).to_have_count(1, timeout=MEDIA_MS)
            assert frames_decoded(viewer, at_least=5) >= 5
        first_frames_s = time.monotonic() - started
        sent = presenter.evaluate("window.RoadshowVideo.framesSent()")
        assert sent["frames"] > 0
        assert sent["layers"] == len(viewers) + 1  # one upload per viewer (the host watches too)

        # a viewer's own offer is refused by the server
        refused = viewers[0].evaluate("window.RoadshowVideo.publish()")
        assert refused["ok"] is False
        assert refused["error"] == "not_on_stage"
        presenter_sid = presenter.evaluate("window.RoadshowLive.socket.id")
        offered = viewers[0].evaluate(
            "sid => new Promise(done => window.RoadshowLive.socket.emit('rtc_signal', "
            "{to: sid, kind: 'offer', description: {type: 'offer', sdp: 'v=0'}}, done))", presenter_sid)
        assert offered["error"] == "not_on_stage"

        # the presenter writes a caption; every viewer reads it under the video, as text
        presenter.fill("#video-caption-text", "<i>ten</i> years")
        presenter.keyboard.press("Enter")
        for viewer in viewers:
            expect(viewer.locator("#video-captions")).to_contain_text("<i>ten</i> years", timeout=STEP_MS)
        assert viewers[0].locator("#video-captions i").count() == 0

        # the host calls the next item: the first presenter's publishing ends by itself
        host.click("[data-stage=next]")
        expect(presenter.locator("#video-stop")).to_be_hidden(timeout=STEP_MS)
        assert presenter.evaluate("window.RoadshowVideo.publishing()") is False
        expect(presenter.locator("#video-notice")).to_contain_text("stage moved on")
        for viewer in viewers:
            expect(viewer.locator("#video-tiles figure")).to_have_count(0, timeout=STEP_MS)
        live_tracks = presenter.evaluate(
            "Array.from(document.querySelectorAll('video')).filter(v => v.srcObject)"
            ".flatMap(v => v.srcObject.getTracks()).filter(t => t.readyState === 'live').length")
        assert live_tracks == 0
        assert all(e == [] for e in errors), errors
        print(f"three viewers decoding within {first_frames_s:.1f} s")
    finally:
        for page in pages:
            page.context.close()


def test_a_connection_of_another_room_is_refused(browser, shared_server, room_world):
    other = build_room(shared_server.database_url)
    pages: list[Any] = []
    try:
        judge, _ = signed_in_page(browser, shared_server.url, room_world["judge"], room_world["room"])
        pages.append(judge)
        stranger, _ = signed_in_page(browser, shared_server.url, other["judge"], other["room"])
        pages.append(stranger)
        judge_sid = judge.evaluate("window.RoadshowLive.socket.id")
        for kind in ("offer", "answer", "candidate"):
            answer = stranger.evaluate(
                "args => new Promise(done => window.RoadshowLive.socket.emit('rtc_signal', "
                "{to: args[0], kind: args[1], description: {type: 'offer', sdp: 'v=0'}}, done))",
                [judge_sid, kind])
            assert answer["error"] == "not_in_room", kind
    finally:
        for page in pages:
            page.context.close()


def test_the_host_brings_a_judge_on_mutes_them_and_the_next_item_sends_them_back(browser, shared_server, room_world):
    from playwright.sync_api import expect

    world = add_video_people(room_world)
    url, room = shared_server.url, world["room"]
    pages: list[Any] = []
    try:
        host, _ = signed_in_page(browser, url, world["organizer"], room)
        judge, _ = signed_in_page(browser, url, world["judges"][0], room)
        viewer, _ = signed_in_page(browser, url, world["judges"][1], room)
        pages = [host, judge, viewer]
        host.click("[data-stage=open]")
        expect(host.locator("[data-stage=open]")).to_be_disabled(timeout=STEP_MS)
        host.click("[data-stage=next]")
        expect(judge.locator("#stage-title")).to_have_text("Batteries", timeout=STEP_MS)
        assert not judge.locator("#video-publish").is_visible()

        host.locator("#video-guest-select").focus()  # the list of judges and districts here
        expect(host.locator("#video-guest-select option", has_text="Judge")).to_have_count(2, timeout=STEP_MS)
        host.select_option("#video-guest-select", label="Judge")
        host.click("#video-guest-form button[type=submit]")
        expect(host.locator("#video-guest-result")).to_contain_text("On stage", timeout=STEP_MS)
        expect(judge.locator("#video-publish")).to_be_visible(timeout=STEP_MS)
        judge.click("#video-publish")
        expect(viewer.locator("#video-tiles figure")).to_have_count(1, timeout=MEDIA_MS)
        assert frames_decoded(viewer) > 0

        tile = host.locator("#video-tiles figure")
        expect(tile).to_have_count(1, timeout=MEDIA_MS)
        tile.get_by_role("button", name="Mute their microphone").click()
        expect(judge.locator("#video-notice")).to_contain_text("muted your microphone", timeout=STEP_MS)
        expect(judge.locator("#video-mic")).to_have_attribute("aria-pressed", "true")
        assert judge.evaluate("Array.from(document.getElementById('video-self').srcObject"
                              ".getAudioTracks()).every(t => !t.enabled)")

        host.click("[data-stage=next]")
        expect(judge.locator("#video-stop")).to_be_hidden(timeout=STEP_MS)
        expect(viewer.locator("#video-tiles figure")).to_have_count(0, timeout=STEP_MS)
        expect(judge.locator("#video-publisher-controls")).to_be_hidden()
    finally:
        for page in pages:
            page.context.close()


def test_a_presenter_checks_their_devices_before_being_on_stage(browser, shared_server, room_world):
    """The device check reminder's link (``#device-check``) brings a presenter to the room's
    device check before the host opens the room: camera preview and microphone level, then back."""
    from playwright.sync_api import expect

    presenter = f"applicant-{room_world['tag']}@example.org"
    page, errors = signed_in_page(browser, shared_server.url, presenter,
                                  room_world["room"] + "#device-check")
    try:
        expect(page.locator("#device-check")).to_be_in_viewport()  # the link's anchor
        assert not page.locator("#video-publish").is_visible()  # not on stage: no camera to the room
        page.click("#video-check-early")
        expect(page.locator("#video-check-panel")).to_be_visible()
        expect(page.locator("#video-check-level")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator("#video-check-panel")).to_be_hidden()
        expect(page.locator("#video-check-early")).to_be_focused()
        assert errors == []
    finally:
        page.context.close()
