"""The live room in Chromium writes its counts, name lists and chat lines with the reader's
punctuation: '评审专家：1（王芳）' and '王芳：你好' on a Chinese page, 'Judges: 1 (Wang Fang)' and
'Wang Fang: hello' on an English one (a Latin colon and brackets were written by the script)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import free_port
from tests.live.servers import Server, server_env
from tests.live.test_browser import STEP_MS, pytestmark  # noqa: F401
from tests.live.test_browser_room import open_page
from tests.live.test_processes import build_world


def test_room_counts_and_chat_use_the_readers_punctuation(browser, tmp_path: Path):
    from playwright.sync_api import expect

    url = f"sqlite:///{tmp_path / 'live.db'}"
    world = build_world(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET locale = 'zh_Hans_CN', name = 'Wang Fang', "
                                "name_native = '王芳' WHERE email = :email"),
                           {"email": world["judge"]})
        connection.execute(text("UPDATE users SET locale = 'en' WHERE email = :email"),
                           {"email": world["organizer"]})
    engine.dispose()
    port = free_port()
    server = Server(port, server_env(url, tmp_path / "instance", port), log_path=tmp_path / "server.log")
    server.start()
    pages = []
    try:
        room = f"/e/{world['event_slug']}/live/{world['session_id']}"
        judge, judge_errors = open_page(browser, server.url, world["judge"], room)
        host, host_errors = open_page(browser, server.url, world["organizer"], room)
        pages = [judge, host]
        expect(judge.locator("#presence")).to_contain_text("评审专家：1（王芳）", timeout=STEP_MS)
        expect(host.locator("#presence")).to_contain_text("Judges: 1 (Wang Fang)", timeout=STEP_MS)
        host.click("[data-stage=open]")  # the chat opens with the room
        expect(host.locator("[data-stage=next]")).to_be_enabled(timeout=STEP_MS)
        judge.fill("#chat-text", "你好")
        judge.click("#chat-form button[type=submit]")
        expect(judge.locator("#chat-list li").first).to_contain_text("王芳：你好", timeout=STEP_MS)
        expect(host.locator("#chat-list li").first).to_contain_text("Wang Fang: 你好",
                                                                    timeout=STEP_MS)
        assert judge_errors == []
        assert host_errors == []
    finally:
        for page in pages:
            page.context.close()
        server.stop()
