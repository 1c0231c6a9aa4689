"""The sign-in page offers registration only while sign-up is open, like the top bar and the
home page: after the call closes, 'New applicant? Register' would lead to a closed door."""

from __future__ import annotations

from datetime import timedelta

from roadshow.db import utcnow
from roadshow.extensions import db
from tests.events.factories import build_event


def test_the_sign_in_page_does_not_offer_registration_after_the_call_closes(client):
    now = utcnow()
    build_event(db.session, call_starts=now - timedelta(days=40), call_ends=now - timedelta(days=3))
    db.session.commit()
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page
    assert 'href="/register"' not in page


def test_the_sign_in_page_offers_registration_while_the_call_is_open(client):
    now = utcnow()
    build_event(db.session, call_starts=now - timedelta(days=1), call_ends=now + timedelta(days=30))
    db.session.commit()
    assert 'href="/register"' in client.get("/login").get_data(as_text=True)
