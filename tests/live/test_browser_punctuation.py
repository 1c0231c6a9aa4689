"""The live room in Chromium writes its counts, name lists and chat lines with the reader's
punctuation: '评审专家：1（王芳）' and '王芳：你好' on a Chinese page, 'Judges: 1 (Wang Fang)' and
'Wang Fang: hello' on an English one (a Latin colon and brackets were written by the script)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text

from tests.live.test_browser import STEP_MS, pytestmark  # noqa: F401
from tests.live.test_browser_room import open_page


def test_room_counts_and_chat_use_the_readers_punctuation(browser, shared_server,
                                                          room_world: dict[str, Any]):
    from playwright.sync_api import expect

    server, world = shared_server, room_world
    engine = create_engine(world["database_url"])
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET locale = 'zh_Hans_CN', name = 'Wang Fang', "
                                "name_native = '王芳' WHERE email = :email"),
                           {"email": world["judge"]})
        connection.execute(text("UPDATE users SET locale = 'en' WHERE email = :email"),
                           {"email": world["organizer"]})
    engine.dispose()
    pages = []
    try:
        room = world["room"]
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
