"""The logins the demo prints let anyone try every step of the funnel, whenever it is loaded."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from roadshow.accounts.models import User
from roadshow.applications.models import ApplicantProfile, Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.demo import timeline
from roadshow.demo.commands import load_demo
from roadshow.events.services import current_event
from roadshow.scheduling import calendar_entries, queries
from roadshow.scheduling.models import Rsvp
from roadshow.signing.flow import IntentState, SignerState
from roadshow.signing.models import Intent
from tests.conftest import Auth

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_printed_applicant_is_an_english_speaking_finalist_abroad_with_every_step_to_try(app, db):
    logins = load_demo(db.session)
    email = next(e for role, e, _p in logins if role == "applicant")
    user = db.session.scalar(select(User).where(User.email == email))
    event = current_event(db.session)
    assert user.locale == "en"
    assert not user.timezone.startswith("Asia/")
    profile = db.session.scalar(select(ApplicantProfile).where(ApplicantProfile.user_id == user.id))
    assert profile.country_of_residence != "CN"
    application = db.session.scalar(select(Application).where(Application.applicant_id == user.id))
    assert application.status == ApplicationStatus.FINALIST

    # a pitch in a session still to come, with no answer given to its invitation yet
    slot = queries.slot_of_application(db.session, application)
    assert slot is not None
    assert slot.session.starts_at > utcnow()
    local = slot.starts_at.astimezone(ZoneInfo(user.timezone))
    assert 7 <= local.hour < 23
    uid = calendar_entries.pitch_uid(application.id, event)
    assert db.session.scalar(select(Rsvp).where(Rsvp.uid == uid, Rsvp.user_id == user.id)) is None
    # an intent waiting for their signature
    intent = db.session.scalar(select(Intent).where(Intent.application_id == application.id))
    assert intent is not None
    mine = next(s for s in intent.signers if s.user_id == user.id)
    assert mine.state == SignerState.WAITING
    assert intent.state == IntentState.OUT_FOR_SIGNATURE

    client = app.test_client()
    Auth(client).login(user, password="Roadshow-demo-2026")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert user.timezone in dashboard  # the pitch time, in their own zone
    assert re.search(r"Sign|sign", dashboard)
    assert "Will you pitch at this time?" in dashboard  # the invitation to answer, right there
    assert "I will attend" in dashboard
    programme = client.get("/schedule/").get_data(as_text=True)
    assert "I will attend" in programme
    assert "Teaching clash" not in programme  # nobody else's answer

    # the first session is live now and is not over; the review can be reopened
    sessions = queries.sessions_of(db.session, event)
    assert sessions[0].starts_at <= utcnow() < sessions[0].ends_at
    readme = README.read_text(encoding="utf-8")
    assert "today and tomorrow" not in readme
    assert "Reopen the review" in readme
    assert f"`{email}`" in readme


def test_the_demo_timeline_has_its_first_session_live_whenever_it_is_loaded():
    start = datetime(2026, 3, 7, 0, 0, tzinfo=UTC)
    for minutes in range(0, 24 * 60 * 2, 17):  # every 17 minutes over two days (a DST-free zone)
        now = start + timedelta(minutes=minutes)
        plan = timeline.plan(now)
        assert plan[0].starts_at <= now < plan[0].ends_at
        assert now - plan[0].starts_at >= timedelta(minutes=60)  # two pitches already given
        assert all(a.ends_at < b.starts_at for a, b in zip(plan, plan[1:], strict=False))
        # every zone has its day time in some session still to come
        for zone in ("America/Los_Angeles", "Europe/Amsterdam", "Australia/Sydney"):
            hours = {s.starts_at.astimezone(ZoneInfo(zone)).hour for s in plan[1:]}
            assert any(7 <= h <= 19 for h in hours), (now, zone, hours)
        first, last = timeline.roadshow_days(now)
        assert (last - first).days <= 2
