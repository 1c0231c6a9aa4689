"""In a real browser: a room event lost on its way (as while Redis is down) is noticed by the
page from the next event's ``prev`` and caught up from a fresh snapshot (issue 12, item 12)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.live.test_browser import STEP_MS, signed_in_page

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def store_without_delivering(database_url: str, session_id: int, author_email: str, text: str) -> None:
    """What another process accepted while its broadcast could not leave (Redis down): the
    chat and its numbered event are in the database, but no client was sent it."""
    from roadshow.accounts.models import User
    from roadshow.live.models import ChatMessage, LiveEvent, LiveRoom

    engine = create_engine(database_url)
    with Session(engine) as session:
        room = session.scalars(select(LiveRoom).where(LiveRoom.session_id == session_id)).one()
        author = session.scalars(select(User).where(User.email == author_email)).one()
        room.seq += 1
        before = (room.heads or {}).get("all", 0)
        room.heads = {**(room.heads or {}), "all": room.seq}
        message = ChatMessage(room_id=room.id, author_id=author.id, text=text)
        session.add(message)
        session.flush()
        session.add(LiveEvent(room_id=room.id, seq=room.seq, kind="chat", audience="all",
                              prev={"all": before},
                              data={"message": {"id": message.id, "text": text}}))
        session.commit()
    engine.dispose()


def test_a_page_catches_up_on_a_room_event_it_never_received(browser, shared_server,
                                                              room_world: dict[str, Any]):
    from playwright.sync_api import expect

    server, world = shared_server, room_world
    contexts = []
    try:
        room = world["room"]
        host, host_errors = signed_in_page(browser, server.url, world["organizer"], room)
        judge, judge_errors = signed_in_page(browser, server.url, world["judge"], room)
        contexts = [host.context, judge.context]
        host.click("[data-stage=open]")
        expect(judge.locator("#stage-title")).to_have_text("Nothing on stage yet.", timeout=STEP_MS)

        store_without_delivering(world["database_url"], world["session_id"], world["judge"],
                                 "said during the outage")
        host.fill("#chat-text", "after the outage")
        host.click("#chat-form button[type=submit]")

        chat = judge.locator("#chat-list")
        expect(chat).to_contain_text("after the outage", timeout=STEP_MS)
        expect(chat).to_contain_text("said during the outage", timeout=STEP_MS)
        assert judge.locator("#chat-list li", has_text="after the outage").count() == 1
        assert host_errors == []
        assert judge_errors == []
    finally:
        for context in contexts:
            context.close()
