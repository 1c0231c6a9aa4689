"""The live room in a real browser: the host moves the stage, a judge follows it, chat stays text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSWORD, free_port
from tests.live.servers import Server, server_env
from tests.live.test_processes import build_world

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


def test_judge_follows_the_hosts_stage_and_chat_stays_plain_text(browser, tmp_path: Path):
    from playwright.sync_api import expect

    url = f"sqlite:///{tmp_path / 'live.db'}"
    world = build_world(url)
    port = free_port()
    server = Server(port, server_env(url, tmp_path / "instance", port), log_path=tmp_path / "server.log")
    server.start()
    contexts = []
    try:
        room = f"/live/{world['session_id']}"
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
        server.stop()


def test_hosts_room_fits_a_phone_without_sideways_scrolling(browser, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    world = build_world(url)
    port = free_port()
    server = Server(port, server_env(url, tmp_path / "instance", port), log_path=tmp_path / "server.log")
    server.start()
    page = None
    try:
        page, errors = signed_in_page(browser, server.url, world["organizer"],
                                      f"/live/{world['session_id']}", width=375)
        assert page.locator("#program-zone").inner_text().startswith("Times in ")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        assert errors == []
    finally:
        if page is not None:
            page.context.close()
        server.stop()
