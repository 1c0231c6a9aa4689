"""Sign-up is offered while the call is open or still to open; once it closes, the page says so
and when the next call opens, and a newcomer's dashboard says there is nothing to apply to."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.extensions import db
from tests.events.factories import build_event

STRONG = "Roadshow-Sign-up-2026"
FORM = {"name": "Ada Lovelace", "name_native": "", "password": STRONG, "confirm": STRONG,
        "locale": "en", "timezone": "Europe/London", "email": "ada@example.org"}


def _closed_event(**fields):  # type: ignore[no-untyped-def]
    now = utcnow()
    event = build_event(db.session, call_starts=now - timedelta(days=40),
                        call_ends=now - timedelta(days=3), title_en="Xuzhou Cloud Roadshow",
                        **fields)
    db.session.commit()
    return event


def test_after_the_call_closes_sign_up_is_not_offered_and_says_why(client, mailbox):
    _closed_event()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/register"' not in home
    page = client.get("/register").get_data(as_text=True)
    assert "Sign-up is closed" in page
    assert "The call for projects of Xuzhou Cloud Roadshow closed on" in page
    assert "(Asia/Shanghai" in page
    assert "The date of the next call is not known yet." in page
    assert 'name="password"' not in page
    response = client.post("/register", data=FORM)
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert mailbox.to("ada@example.org") == []


def test_the_closed_page_names_the_closed_call_in_the_readers_language(client):
    _closed_event(title_zh="徐州市云创荟")
    page = client.get("/register", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "徐州市云创荟" in page
    assert "注册已截止" in page
    assert 'name="password"' not in page


def test_a_call_still_to_come_in_another_office_keeps_sign_up_open(client, make_organisation):
    """Sign-up is closed only when no office has a call open or to come (issue 13)."""
    _closed_event()
    now = utcnow()
    build_event(db.session, slug="next", organisation=make_organisation("xiao-county"),
                call_starts=now + timedelta(days=60), call_ends=now + timedelta(days=90),
                title_zh="第二届云创荟")
    assert 'name="password"' in client.get("/register").get_data(as_text=True)


def test_sign_up_is_offered_while_the_call_is_open_or_still_to_open(client):
    now = utcnow()
    build_event(db.session, call_starts=now + timedelta(days=5), call_ends=now + timedelta(days=30))
    db.session.commit()
    assert 'href="/register"' in client.get("/").get_data(as_text=True)
    assert 'name="password"' in client.get("/register").get_data(as_text=True)


def test_a_newcomer_after_the_close_is_told_there_is_nothing_to_apply_to(login_as):
    _closed_event()
    client, _user = login_as("applicant", locale="en")
    response = client.get("/apply", follow_redirects=True)
    assert "There is no open call for projects at the moment." in response.get_data(as_text=True)
