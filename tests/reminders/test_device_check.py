"""The device check before a live session: each finalist placed in a published session of an
event with live rooms is sent the room's device check 48 hours before the session, once, in
their language and zone; never after it started, nor once they are no longer scheduled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicationStatus
from roadshow.extensions import db
from roadshow.notifications.models import Notification
from roadshow.scheduling.models import SessionStatus
from tests.conftest import Auth
from tests.many_events_fixtures import build_event
from tests.reminders.test_sending import MINUTE, finalist, pitch, run

AT = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
CHECK = AT - timedelta(hours=48)


@pytest.fixture
def live_event(app):
    return build_event(db.session, phase="review", title_en="Cloud Roadshow 2026",
                       title_zh="云端路演 2026")


def checks_of(person):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == person.id, Notification.kind == "reminder_device_check")).all()


def test_the_device_check_goes_out_once_48_hours_before_in_the_finalists_zone(
        live_event, make_user, mailbox):
    application = finalist(live_event, make_user, zone="America/New_York")
    person = application.applicant
    session = pitch(live_event, application, AT)
    assert run(CHECK - MINUTE) == 0
    assert run(CHECK) == 1
    assert run(CHECK + MINUTE) == 0
    assert run(AT - timedelta(hours=30)) == 0
    [mail] = mailbox.to(person.email)
    assert "Check your camera and microphone before your pitch in Cloud Roadshow 2026" in \
        mail["Subject"]
    body = mail.get_content()
    room = f"/e/{live_event.slug}/live/{session.id}#device-check"
    assert room in body
    assert "21:00" in body
    assert "America/New_York" in body
    assert "List-Unsubscribe" in mail
    [row] = checks_of(person)
    assert row.url == room
    # the pitch's own reminders still come at their minutes
    assert run(AT - timedelta(hours=24)) == 1
    assert [n.kind for n in db.session.scalars(select(Notification).where(
        Notification.user_id == person.id).order_by(Notification.id))] == [
        "reminder_device_check", "reminder_pitch"]


def test_the_device_check_speaks_the_finalists_language(live_event, make_user, mailbox):
    application = finalist(live_event, make_user, locale="zh_Hans_CN")
    pitch(live_event, application, AT)
    assert run(CHECK) == 1
    [mail] = mailbox.to(application.applicant.email)
    assert "请在云端路演 2026路演前检测您的摄像头和麦克风" in mail["Subject"]
    body = mail.get_content()
    assert "量子传感器" in body
    assert "上午场" in body
    assert "10:00" in body  # Shanghai


def test_a_finalist_placed_late_gets_it_at_once_but_never_after_the_session_started(
        live_event, make_user, mailbox):
    late = finalist(live_event, make_user)
    # placed 30 hours before (the schedule published late): the check at the next minute
    pitch(live_event, late, AT)
    assert run(AT - timedelta(hours=30)) == 1
    assert len(checks_of(late.applicant)) == 1
    started = finalist(live_event, make_user)
    pitch(live_event, started, AT - timedelta(minutes=5))  # already under way
    assert run(AT) == 0
    assert checks_of(started.applicant) == []


def test_no_device_check_once_unscheduled_unpublished_or_without_live_rooms(
        live_event, make_user, mailbox):
    removed = finalist(live_event, make_user)
    session = pitch(live_event, removed, AT)
    db.session.delete(session.slots[0])  # taken out of the session
    withdrawn = finalist(live_event, make_user)
    pitch(live_event, withdrawn, AT)
    withdrawn.status = ApplicationStatus.WITHDRAWN
    unpublished = finalist(live_event, make_user)
    pitch(live_event, unpublished, AT).status = SessionStatus.DRAFT
    no_live = build_event(db.session, phase="review", stage_live=False)
    elsewhere = finalist(no_live, make_user)
    pitch(no_live, elsewhere, AT)
    db.session.commit()
    assert run(CHECK) == 0
    assert mailbox.messages == []


def test_the_reminders_link_opens_the_rooms_device_check_for_the_presenter(
        app, live_event, make_user):
    application = finalist(live_event, make_user)
    session = pitch(live_event, application, AT)
    client = app.test_client()
    Auth(client).login(application.applicant)
    page = client.get(f"/e/{live_event.slug}/live/{session.id}").get_data(as_text=True)
    assert 'id="device-check"' in page
    assert 'id="video-check-early"' in page
    judge = make_user(Role.JUDGE)
    other = app.test_client()
    Auth(other).login(judge)
    judged = other.get(f"/e/{live_event.slug}/live/{session.id}")
    assert judged.status_code == 200
    assert 'id="device-check"' not in judged.get_data(as_text=True)  # only presenters
