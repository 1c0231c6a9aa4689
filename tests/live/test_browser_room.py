"""The live room in Chromium (issue 12): scores read to the rubric's precision (item 7), the
slide keeps its place while it loads, the video link and the reconnecting badge (item 22)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.conftest import TEST_PASSWORD, free_port
from tests.live.rooms import build_room, fresh_database
from tests.live.servers import Server, server_env
from tests.live.test_browser import STEP_MS, add_rubric_and_a_docking_request, pytestmark  # noqa: F401
from tests.live.test_pages import make_pdf

VIDEO = "https://video.example.org/batteries"


def add_a_deck_and_a_video(world: dict[str, Any], instance: Path) -> None:
    from roadshow.applications.models import Application, Deck

    data = make_pdf(3)
    folder = instance / "uploads" / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"deck-browser-{world['tag']}.pdf"
    (folder / stored).write_bytes(data)
    engine = create_engine(world["database_url"])
    with Session(engine) as session:
        application = session.get(Application, world["application_id"])
        application.video_url = VIDEO
        session.add(Deck(application_id=application.id, original_name="deck.pdf",
                         stored_name=stored, content_type="application/pdf",
                         size_bytes=len(data), sha256="d0" * 32, page_count=3))
        session.commit()
    engine.dispose()


def open_page(browser, base_url: str, email: str, path: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(path)
    page.wait_for_selector("#live-status.bg-success", timeout=STEP_MS)
    return page, errors


CONTRAST = """(el) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const style = getComputedStyle(el);
  const a = lum(rgb(style.color)), b = lum(rgb(style.backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_scores_slides_video_and_the_reconnecting_badge(browser, tmp_path: Path):
    """On a server of its own: the test stops it to see the reconnecting badge."""
    from playwright.sync_api import expect

    url = fresh_database(tmp_path)
    world = build_room(url)
    add_rubric_and_a_docking_request(world)
    add_a_deck_and_a_video(world, tmp_path / "instance")
    port = free_port()
    server = Server(port, server_env(url, tmp_path / "instance", port), log_path=tmp_path / "server.log")
    server.start()
    pages = []
    try:
        room = world["room"]
        host, host_errors = open_page(browser, server.url, world["organizer"], room)
        judge, judge_errors = open_page(browser, server.url, world["judge"], room)
        pages = [host, judge]
        held = []  # the judge's slide requests, answered only once the frame was measured
        judge.route(re.compile(r".*/deck/\d+/\d+\.png$"), lambda route: held.append(route))

        host.click("[data-stage=open]")
        expect(host.locator("[data-stage=next]")).to_be_enabled(timeout=STEP_MS)
        host.click("[data-stage=next]")
        expect(judge.locator("#deck-image")).to_be_attached(timeout=STEP_MS)
        judge.wait_for_timeout(300)
        before = judge.locator("#deck").bounding_box()
        assert held, "the slide was requested"
        for route in held:
            route.continue_()
        judge.wait_for_function("() => document.getElementById('deck-image').naturalWidth > 0",
                                timeout=STEP_MS)
        after = judge.locator("#deck").bounding_box()
        assert before is not None
        assert after is not None
        assert before["height"] > 100
        assert abs(after["height"] - before["height"]) < 1, (before, after)  # no layout shift
        expect(judge.locator("#stage-video a")).to_have_attribute("href", VIDEO)

        host.click("[data-stage=scoring]")
        expect(judge.locator("#score-form")).to_be_visible(timeout=STEP_MS)
        judge.fill("#score-fields input", "8.5")  # (8.5 - 1) / 9 of 100 = 83.333...
        judge.click("#score-form button[type=submit]")
        expect(host.locator("#host-scored")).to_have_text("1 judge has scored", timeout=STEP_MS)
        judge.reload()
        expect(judge.locator("#score-result")).to_have_text("Your score is saved: 83.3 of 100.",
                                                            timeout=STEP_MS)
        host.click("[data-stage=reveal]")
        expect(judge.locator("#results-list")).to_contain_text(
            "Mean total 83.3 of 100 from 1 judge", timeout=STEP_MS)

        server.stop()
        badge = judge.locator("#live-status")
        expect(badge).to_have_text("Connection lost; reconnecting…", timeout=STEP_MS)
        assert badge.evaluate(CONTRAST) >= 4.5
        assert host_errors == []
        assert judge_errors == []
    finally:
        for page in pages:
            page.context.close()
        server.stop()


def add_a_second_finalist_and_an_empty_slot(world: dict[str, Any]) -> dict[str, int]:
    """To a room of ``build_room``: a second finalist not placed yet, and after the first
    pitch an empty pitch slot still to come and a break (so the programme reads pitch, break)."""
    from datetime import timedelta

    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.scheduling.models import PitchSession, Slot, SlotKind
    from tests.conftest import _PASSWORD_HASH

    engine = create_engine(world["database_url"])
    with Session(engine) as session:
        pitch_session = session.get(PitchSession, world["session_id"])
        first = session.get(Application, world["application_id"])
        person = User(email=f"second-{world['tag']}@example.org", password_hash=_PASSWORD_HASH, role=Role.APPLICANT,
                      name="Mei Chen", name_native="陈梅", email_verified_at=first.created_at)
        judge = session.scalars(select(User).where(User.email == world["judge"])).one()
        judge.locale = "zh_Hans_CN"
        session.add(person)
        session.flush()
        second = Application(event_id=first.event_id, applicant_id=person.id,
                             status=ApplicationStatus.FINALIST, title_en="Solid-state cells",
                             title_zh="固态电芯")
        session.add(second)
        start = pitch_session.starts_at + timedelta(hours=1)
        pitch_session.ends_at = start + timedelta(hours=1)
        empty = Slot(session_id=pitch_session.id, kind=SlotKind.PITCH, starts_at=start,
                     ends_at=start + timedelta(minutes=20), position=5)
        session.add_all([empty, Slot(session_id=pitch_session.id, kind=SlotKind.BREAK,
                                     starts_at=start + timedelta(minutes=20),
                                     ends_at=start + timedelta(minutes=30), position=6)])
        session.commit()
        ids = {"slot_id": empty.id, "application_id": second.id}
    engine.dispose()
    return ids


def test_a_pitch_placed_after_the_room_opened_is_announced_and_staged_in_each_readers_language(
        browser, shared_server, room_world: dict[str, Any]):
    from playwright.sync_api import expect

    server, world = shared_server, room_world
    ids = add_a_second_finalist_and_an_empty_slot(world)
    pages = []
    try:
        room = world["room"]
        host, host_errors = open_page(browser, server.url, world["organizer"], room)
        judge, judge_errors = open_page(browser, server.url, world["judge"], room)  # reads Chinese
        pages = [host, judge]
        host.click("[data-stage=open]")
        expect(host.locator("[data-stage=open]")).to_be_disabled(timeout=STEP_MS)
        expect(host.locator("#program-list tr")).to_have_count(2)

        manage = host.request.get(f"/e/{world['event_slug']}/schedule/manage")
        assert manage.ok
        manage = manage.text()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', manage)
        assert token is not None
        placed = host.request.post(f"/e/{world['event_slug']}/schedule/manage/slots/{ids['slot_id']}/place",
                                   form={"application_id": str(ids["application_id"]),
                                         "csrf_token": token.group(1)})
        assert placed.ok

        expect(host.locator("#live-programme")).to_contain_text(
            re.compile(r"The programme has changed\. Added: Solid-state cells \(\d\d:\d\d\)\."),
            timeout=STEP_MS)
        expect(judge.locator("#live-programme")).to_contain_text(
            re.compile(r"节目单已更新。新增：固态电芯（\d\d:\d\d）。"), timeout=STEP_MS)
        expect(host.locator("#program-list tr")).to_have_count(3)
        expect(host.locator("#program-list tr").nth(1)).to_contain_text("Solid-state cells — Mei Chen")
        expect(judge.locator("#program-list tr").nth(1)).to_contain_text("固态电芯 — 陈梅")

        host.select_option("#call-index", label="2. Solid-state cells — Mei Chen")
        host.click("#call-form button[type=submit]")
        expect(judge.locator("#stage-title")).to_have_text("固态电芯", timeout=STEP_MS)
        expect(host.locator("#stage-title")).to_have_text("Solid-state cells")
        assert host_errors == []
        assert judge_errors == []
    finally:
        for page in pages:
            page.context.close()
