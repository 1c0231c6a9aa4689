"""The demo publishes a schedule for its 32 finalists over the two roadshow days."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select

from roadshow.accounts.models import User
from roadshow.scheduling import proposals, queries
from roadshow.scheduling.models import SlotKind
from tests.conftest import Auth
from tests.demo.pages import event_of, url


def test_the_demo_publishes_a_schedule_inside_everyones_availability(app, db, loaded_demo):
    assert loaded_demo
    event = event_of(db.session)
    sessions = queries.sessions_of(db.session, event)
    assert sessions
    assert all(s.is_published for s in sessions)
    assert all(s.join_url.startswith("https://") for s in sessions)
    days = {s.starts_at.astimezone(ZoneInfo(event.timezone)).date() for s in sessions}
    assert 2 <= len(days) <= 3  # the first session is live whenever the demo is loaded
    pitches = [s for ps in sessions for s in ps.slots if s.kind == SlotKind.PITCH and s.application_id]
    assert len(pitches) == 32
    assert proposals.unplaced(db.session, event) == []
    assert proposals.warnings(db.session, event) == []
    assert any(s.kind == SlotKind.DISTRICT for ps in sessions for s in ps.slots)
    # nobody pitches in the middle of their night
    for slot in pitches:
        local = slot.starts_at.astimezone(ZoneInfo(slot.application.applicant.timezone))
        assert 7 <= local.hour < 23
    assert all(ps.attendances for ps in sessions)
    # the organizer's editor and an applicant's page render with the demo data
    client = app.test_client()
    organizer = db.session.scalar(select(User).where(User.email == "organizer@example.org"))
    Auth(client).login(organizer, password="Roadshow-demo-2026")
    editor = client.get(url(app, "scheduling.manage", event))
    assert editor.status_code == 200
    finalist = pitches[0].application.applicant
    applicant = app.test_client()
    Auth(applicant).login(finalist, password="Roadshow-demo-2026")
    page = applicant.get(url(app, "scheduling.index", event)).get_data(as_text=True)
    assert finalist.timezone in page
    assert "Asia/Shanghai" in page
    # last year's roadshow was held: every session over, every finalist placed
    last_year = event_of(db.session, "xuzhou-cloud-roadshow-2025")
    held = queries.sessions_of(db.session, last_year)
    assert held
    assert all(s.is_published and s.ends_at < sessions[0].starts_at for s in held)
    assert len([s for ps in held for s in ps.slots if s.kind == SlotKind.PITCH and s.application_id]) == 30
