"""The live room in a real browser: the host moves the stage, a judge follows it, chat stays text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.conftest import _PASSWORD_HASH, TEST_PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
STEP_MS = 15_000  # how long the page may take to show a change (not a speed target)


def signed_in_page(browser, base_url: str, email: str, path: str, width: int = 1280):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900})
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


def test_judge_follows_the_hosts_stage_and_chat_stays_plain_text(browser, shared_server, room_world):
    from playwright.sync_api import expect

    server, world = shared_server, room_world
    contexts = []
    try:
        room = world["room"]
        host, host_errors = signed_in_page(browser, server.url, world["organizer"], room)
        judge, judge_errors = signed_in_page(browser, server.url, world["judge"], room)
        contexts = [host.context, judge.context]
        expect(judge.locator("#stage-title")).to_have_text("The host has not opened the room yet.")

        host.click("[data-stage=open]")
        expect(host.locator("[data-stage=open]")).to_be_disabled(timeout=STEP_MS)
        host.click("[data-stage=next]")
        expect(host.locator("[data-stage=start]")).to_be_enabled(timeout=STEP_MS)
        host.click("[data-stage=start]")

        expect(judge.locator("#stage-phase")).to_have_text("Pitch", timeout=STEP_MS)
        expect(judge.locator("#stage-title")).to_have_text("Batteries")
        expect(judge.locator("#stage-timer")).to_have_text(re.compile(r"^1[01]:[0-5]\d$"), timeout=STEP_MS)

        judge.fill("#chat-text", "<b>bold?</b> no")
        judge.click("#chat-form button[type=submit]")
        line = host.locator("#chat-list li").first
        expect(line).to_contain_text("<b>bold?</b> no", timeout=STEP_MS)
        assert host.locator("#chat-list b").count() == 0
        assert host_errors == []
        assert judge_errors == []
    finally:
        for context in contexts:
            context.close()


def test_hosts_room_fits_a_phone_without_sideways_scrolling(browser, shared_server, room_world):
    page = None
    try:
        page, errors = signed_in_page(browser, shared_server.url, room_world["organizer"],
                                      room_world["room"], width=375)
        assert page.locator("#program-zone").inner_text().startswith("Times in ")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        assert errors == []
    finally:
        if page is not None:
            page.context.close()


def add_rubric_and_a_docking_request(world: dict[str, Any]) -> dict[str, str]:
    """To a room of ``build_room``: a one-criterion rubric, Gulou District with its recruiter,
    and that district's request for a follow-up talk about the pitching project."""
    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application
    from roadshow.districts.models import District
    from roadshow.events.models import Event
    from roadshow.live.models import DockingKind, DockingRequest
    from roadshow.organisations.models import EventRole, EventRoleKind
    from roadshow.review.models import Criterion

    engine = create_engine(world["database_url"])
    recruiter_email = f"recruiter-{world['tag']}@example.org"
    with Session(engine) as session:
        application = session.get(Application, world["application_id"])
        session.add(Criterion(event_id=application.event_id, code="innovation", name_zh="创新性",
                              name_en="Innovation", scale_min=1, scale_max=10, position=1))
        event = session.get(Event, application.event_id)
        district = District(code="gulou", name_zh="鼓楼区", name_en="Gulou District",
                            organisation_id=event.organisation_id)
        session.add(district)
        session.flush()
        recruiter = User(email=recruiter_email, password_hash=_PASSWORD_HASH,
                         role=Role.RECRUITER, name="Recruiter", district_id=district.id,
                         email_verified_at=datetime.now(UTC))
        session.add(recruiter)
        session.flush()
        session.add(EventRole(event_id=event.id, user_id=recruiter.id,
                              role=EventRoleKind.RECRUITER, district_id=district.id))
        session.add(DockingRequest(event_id=application.event_id, application_id=application.id,
                                   district_id=district.id, recruiter_id=recruiter.id,
                                   kind=DockingKind.TALK, note="We have a ready factory"))
        session.commit()
    engine.dispose()
    return {"recruiter": recruiter_email}


@pytest.fixture
def live_server(shared_server, room_world):  # type: ignore[no-untyped-def]
    """The shared server, and this test's room with a rubric and a docking request."""
    return shared_server, {**room_world, **add_rubric_and_a_docking_request(room_world)}


@dataclass
class Room:
    host: Any
    judge: Any


@pytest.fixture
def host_and_judge(browser, live_server):  # type: ignore[no-untyped-def]
    """The organizer and a judge, each in a browser of their own, in the live room; the test
    fails if either page logs a console error."""
    server, world = live_server
    room = world["room"]
    host, host_errors = signed_in_page(browser, server.url, world["organizer"], room)
    judge, judge_errors = signed_in_page(browser, server.url, world["judge"], room)
    try:
        yield Room(host, judge)
        assert host_errors == []
        assert judge_errors == []
    finally:
        host.context.close()
        judge.context.close()


def test_a_reload_during_scoring_brings_back_the_judges_score_and_the_hosts_count(host_and_judge):
    from playwright.sync_api import expect

    host, judge = host_and_judge.host, host_and_judge.judge
    host.click("[data-stage=open]")
    expect(host.locator("[data-stage=next]")).to_be_enabled(timeout=STEP_MS)
    host.click("[data-stage=next]")
    expect(host.locator("[data-stage=scoring]")).to_be_enabled(timeout=STEP_MS)
    host.click("[data-stage=scoring]")
    expect(judge.locator("#score-form")).to_be_visible(timeout=STEP_MS)
    judge.fill("#score-fields input", "8")
    judge.fill("#score-comment", "Clear plan")
    judge.click("#score-form button[type=submit]")
    expect(host.locator("#host-scored")).to_have_text("1 judge has scored", timeout=STEP_MS)

    judge.reload()
    host.reload()

    expect(judge.locator("#score-fields input")).to_have_value("8", timeout=STEP_MS)
    expect(judge.locator("#score-comment")).to_have_value("Clear plan")
    expect(judge.locator("#score-result")).to_have_text(re.compile(r"^Your score is saved: \d+(\.\d+)? of 100\.$"))
    expect(host.locator("#host-scored")).to_have_text("1 judge has scored", timeout=STEP_MS)


def test_the_host_can_unmute_someone_muted_before_a_reload(host_and_judge):
    from playwright.sync_api import expect

    host, judge = host_and_judge.host, host_and_judge.judge
    host.click("[data-stage=open]")
    expect(judge.locator("#stage-title")).to_have_text("Nothing on stage yet.", timeout=STEP_MS)
    judge.fill("#chat-text", "Hello")
    judge.click("#chat-form button[type=submit]")
    mute = host.locator("#chat-list li", has_text="Hello").get_by_role("button", name="Mute")
    mute.click()
    expect(judge.locator("#chat-result")).to_have_text("The host has muted you in this room's chat.",
                                                       timeout=STEP_MS)
    expect(host.locator("#chat-list li", has_text="Hello").get_by_role("button", name="Unmute")
           ).to_be_visible(timeout=STEP_MS)

    host.reload()
    unmute = host.locator("#chat-list li", has_text="Hello").get_by_role("button", name="Unmute")
    expect(unmute).to_be_visible(timeout=STEP_MS)
    unmute.click()

    expect(judge.locator("#chat-result")).to_have_text("You can write in the chat again.", timeout=STEP_MS)
    judge.fill("#chat-text", "Thanks")
    judge.click("#chat-form button[type=submit]")
    expect(host.locator("#chat-list li", has_text="Thanks")).to_be_visible(timeout=STEP_MS)


def test_docking_board_on_a_phone_gives_each_request_the_full_width(browser, live_server):
    server, world = live_server
    context = browser.new_context(base_url=server.url, viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=email]", world["recruiter"])
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"/e/{world['event_slug']}/live/docking")
        title = page.locator(".docking-board td", has_text="Batteries")
        row = page.locator(".docking-board tbody tr").first
        # the project's title has the row's whole width, not a column squeezed beside four others
        assert title.bounding_box()["width"] >= row.bounding_box()["width"] - 1
        assert title.evaluate("td => getComputedStyle(td, '::before').content") == '"Project"'
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
    finally:
        context.close()


def test_a_chinese_page_names_the_districts_in_the_room_in_chinese(browser, live_server):
    from playwright.sync_api import expect

    server, world = live_server
    room = world["room"]
    judge, judge_errors = signed_in_page(browser, server.url, world["judge"], room)
    recruiter = None
    try:
        judge.click(".language-switch button[value=zh_Hans_CN]")
        judge.wait_for_selector("#live-status.bg-success", timeout=STEP_MS)
        # the recruiter (reading English) comes in after: the room hears of it from their side
        recruiter, _ = signed_in_page(browser, server.url, world["recruiter"], room)
        expect(judge.locator("#presence")).to_contain_text("Recruiter (鼓楼区)", timeout=STEP_MS)
        expect(recruiter.locator("#presence")).to_contain_text("Recruiter (Gulou District)", timeout=STEP_MS)
        assert "Gulou District" not in judge.locator("#presence").inner_text()
        assert judge_errors == []
    finally:
        judge.context.close()
        if recruiter is not None:
            recruiter.context.close()


def test_scoring_shows_no_countdown_and_no_paused_timer(host_and_judge):
    from playwright.sync_api import expect

    host, judge = host_and_judge.host, host_and_judge.judge
    host.click("[data-stage=open]")
    expect(host.locator("[data-stage=next]")).to_be_enabled(timeout=STEP_MS)
    host.click("[data-stage=next]")
    expect(judge.locator("#stage-timer")).to_have_text("12:00", timeout=STEP_MS)
    expect(judge.locator("#stage-timer-note")).to_have_text("paused")
    host.click("[data-stage=scoring]")
    expect(judge.locator("#stage-phase")).to_have_text("Scoring", timeout=STEP_MS)
    expect(judge.locator("#stage-timer")).to_have_text("—")
    expect(judge.locator("#stage-timer-note")).to_have_text("")


def test_one_judges_score_reads_in_the_singular_and_the_chinese_as_before(host_and_judge):
    from playwright.sync_api import expect

    host, judge = host_and_judge.host, host_and_judge.judge
    host.click("[data-stage=open]")
    expect(host.locator("[data-stage=next]")).to_be_enabled(timeout=STEP_MS)
    host.click("[data-stage=next]")
    expect(host.locator("[data-stage=scoring]")).to_be_enabled(timeout=STEP_MS)
    host.click("[data-stage=scoring]")
    expect(judge.locator("#score-form")).to_be_visible(timeout=STEP_MS)
    judge.fill("#score-fields input", "8")
    judge.click("#score-form button[type=submit]")
    expect(host.locator("#host-scored")).to_have_text("1 judge has scored", timeout=STEP_MS)
    host.click("[data-stage=reveal]")
    expect(judge.locator("#results-list")).to_contain_text(
        re.compile(r"Mean total \d+(\.\d+)? of 100 from 1 judge$"), timeout=STEP_MS)

    host.click(".language-switch button[value=zh_Hans_CN]")
    host.wait_for_selector("#live-status.bg-success", timeout=STEP_MS)
    expect(host.locator("#host-scored")).to_have_text("已有 1 位评审专家打分", timeout=STEP_MS)
    expect(host.locator("#results-list")).to_contain_text(
        re.compile(r"1 位评审专家的平均总分 \d+(\.\d+)?（满分 100）"), timeout=STEP_MS)
