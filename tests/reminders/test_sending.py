"""The periodic reminder run with a clock the test holds and real SMTP: each reminder goes out
once, at its minute in the recipient's zone across a daylight-saving change, never after the
step is done, again when a pitch moves; preferences and unsubscribing are honoured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events.models import PhaseKind
from roadshow.extensions import db
from roadshow.notifications import kinds, services
from roadshow.notifications.models import Channel, Notification
from roadshow.reminders.sending import send_due
from roadshow.review.models import Assignment, Review, ReviewStatus
from roadshow.scheduling.models import (
    AttendanceRole,
    PitchSession,
    SessionAttendance,
    SessionStatus,
    Slot,
)
from tests.many_events_fixtures import build_event

MINUTE = timedelta(minutes=1)


@pytest.fixture
def event(app):
    """An event without live rooms: its finalists get the pitch reminders alone (the device
    check of a live event's sessions is tested in test_device_check.py)."""
    return build_event(db.session, phase="review", title_en="Cloud Roadshow 2026",
                       title_zh="云端路演 2026", stage_live=False)


def finalist(event, make_user, zone="Asia/Shanghai", locale="en"):
    person = make_user(Role.APPLICANT, timezone=zone, locale=locale)
    application = Application(event_id=event.id, applicant_id=person.id,
                              status=ApplicationStatus.FINALIST, title_en="Quantum sensors",
                              title_zh="量子传感器")
    db.session.add(application)
    db.session.commit()
    return application


def pitch(event, application, at, *, minutes=20):
    session = PitchSession(event_id=event.id, title_zh="上午场", title_en="Morning",
                           starts_at=at, ends_at=at + timedelta(hours=2),
                           status=SessionStatus.PUBLISHED)
    session.slots = [Slot(application_id=application.id, starts_at=at,
                          ends_at=at + timedelta(minutes=minutes))]
    db.session.add(session)
    db.session.commit()
    return session


def run(now):
    sent = send_due(db.session, now)
    db.session.commit()
    return sent


def kinds_of(user):
    return [row.kind for row in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


@pytest.mark.parametrize(("zone", "at", "day_before", "hour_before", "clock"), [
    # New York leaves summer time at 02:00 on Sunday 1 November 2026: the day before the 09:00
    # pitch, the clocks there still said EDT (10:00 local, 24 real hours earlier)
    ("America/New_York", datetime(2026, 11, 1, 14, 0, tzinfo=UTC), "10:00", "08:00",
     ("9:00", "GMT-05:00")),
    # Sydney enters summer time at 02:00 on Sunday 4 October 2026
    # (the day-before comes at 10:00 AEST for an 11:00 AEDT pitch)
    ("Australia/Sydney", datetime(2026, 10, 4, 0, 0, tzinfo=UTC), "10:00", "10:00",
     ("11:00", "GMT+11:00")),
])
def test_a_pitch_is_reminded_once_a_day_and_an_hour_before_in_the_finalists_zone(
        event, make_user, mailbox, zone, at, day_before, hour_before, clock):
    from zoneinfo import ZoneInfo

    application = finalist(event, make_user, zone=zone)
    person = application.applicant
    pitch(event, application, at)
    day, hour = at - timedelta(hours=24), at - timedelta(hours=1)
    assert day.astimezone(ZoneInfo(zone)).strftime("%H:%M") == day_before  # across the change
    assert hour.astimezone(ZoneInfo(zone)).strftime("%H:%M") == hour_before

    assert run(day - MINUTE) == 0
    assert run(day) == 1
    assert run(day + MINUTE) == 0  # the next minute's run: already sent
    assert run(hour - MINUTE) == 0
    assert run(hour) == 1
    assert run(hour + 30 * MINUTE) == 0
    assert run(at) == 0  # started: nothing more

    first, second = mailbox.to(person.email)
    assert "Your pitch in Cloud Roadshow 2026 is tomorrow" in first["Subject"]
    assert "starts in one hour" in second["Subject"]
    body = first.get_content()
    assert all(part in body for part in clock), body  # the pitch's time in their zone, after the change
    assert f"/e/{event.slug}/schedule/" in body
    assert "List-Unsubscribe" in first
    assert kinds_of(person) == ["reminder_pitch", "reminder_pitch"]
    row = db.session.scalars(select(Notification).where(Notification.user_id == person.id)).first()
    assert row.url == f"/e/{event.slug}/schedule/"


def test_a_moved_pitch_is_reminded_again_and_the_old_time_never(event, make_user, mailbox):
    application = finalist(event, make_user)
    at = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    session = pitch(event, application, at)
    assert run(at - timedelta(hours=20)) == 1
    moved = at + timedelta(days=1)
    session.starts_at = moved
    session.slots[0].starts_at = moved
    db.session.commit()
    assert run(at - timedelta(minutes=30)) == 0  # the old hour-before: the slot is not there now
    assert run(moved - timedelta(hours=23)) == 1  # the new day-before
    assert run(moved - timedelta(minutes=10)) == 1
    assert len(mailbox.to(application.applicant.email)) == 3


def test_the_mail_and_the_centre_speak_the_finalists_language(app, event, make_user, mailbox):
    application = finalist(event, make_user, locale="zh_Hans_CN")
    at = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    pitch(event, application, at)
    assert run(at - timedelta(minutes=50)) == 1
    [mail] = mailbox.to(application.applicant.email)
    assert "云端路演 2026" in mail["Subject"]
    assert "一小时后开始" in mail["Subject"]
    assert "量子传感器" in mail.get_content()
    [row], _total = services.centre(db.session, application.applicant)
    with app.test_request_context(), force_locale("zh_Hans_CN"):  # the centre's line, in Chinese
        line = kinds.text_of(row.kind, row.params)
    assert line == ("您在云端路演 2026的项目“量子传感器”将于 2026年12月10日周四 10:00 "
                    "(Asia/Shanghai, GMT+08:00) 开始路演。"), line


def test_an_app_only_choice_sends_no_mail_and_unsubscribing_stops_the_next(
        event, make_user, mailbox):
    chose_app = finalist(event, make_user)
    unsubscribed = finalist(event, make_user)
    at = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    pitch(event, chose_app, at)
    pitch(event, unsubscribed, at + timedelta(minutes=20))
    services.choose(db.session, chose_app.applicant, "reminder_pitch", Channel.APP)
    db.session.commit()
    assert run(at - timedelta(hours=23)) == 2
    assert mailbox.to(chose_app.applicant.email) == []
    assert services.unread_count(db.session, chose_app.applicant) == 1  # in the app all the same
    assert len(mailbox.to(unsubscribed.applicant.email)) == 1
    assert services.stop_mail(db.session, unsubscribed.applicant, "reminder_pitch")
    db.session.commit()
    assert run(at - timedelta(minutes=30)) == 2
    assert len(mailbox.to(unsubscribed.applicant.email)) == 1  # no second mail
    assert services.unread_count(db.session, unsubscribed.applicant) == 2


def test_judges_and_recruiters_of_a_session_are_reminded_but_a_draft_session_is_not(
        app, make_user, mailbox):
    event = build_event(db.session, phase="review", title_en="Cloud Roadshow 2026",
                        title_zh="云端路演 2026")  # with live rooms: the session's page is its room
    application = finalist(event, make_user)
    at = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    session = pitch(event, application, at)
    judge = make_user(Role.JUDGE, timezone="Europe/Berlin")
    recruiter = make_user(Role.RECRUITER)
    for person, role in ((judge, AttendanceRole.JUDGE), (recruiter, AttendanceRole.RECRUITER)):
        db.session.add(SessionAttendance(session_id=session.id,
                                         user_id=person.id, role=role))
    db.session.commit()
    assert run(at - timedelta(hours=2)) == 4  # and the finalist's device check
    [mail] = mailbox.to(judge.email)
    assert "The pitch session “Morning” is tomorrow" in mail["Subject"]
    assert "03:00" in mail.get_content() or "3:00" in mail.get_content()  # Berlin, CET
    assert f"/e/{event.slug}/live/{session.id}" in mail.get_content()
    session.status = SessionStatus.DRAFT  # unpublished: no more reminders
    db.session.commit()
    assert run(at - timedelta(minutes=30)) == 0


def test_a_judge_with_open_reviews_is_reminded_before_the_review_closes_and_not_once_done(
        event, make_user, mailbox):
    closes = event.phase(PhaseKind.REVIEW).ends_at
    busy, done = make_user(Role.JUDGE), make_user(Role.JUDGE, locale="zh_Hans_CN")
    applications = [finalist(event, make_user) for _ in range(2)]
    for application in applications:
        for judge in (busy, done):
            db.session.add(Assignment(event_id=event.id, application_id=application.id,
                                      judge_id=judge.id))
        db.session.add(Review(application_id=application.id,
                              judge_id=done.id, status=ReviewStatus.SUBMITTED))
    db.session.commit()
    assert run(closes - timedelta(days=2) - MINUTE) == 0
    assert run(closes - timedelta(days=2)) == 1
    assert run(closes - timedelta(days=1)) == 0
    [mail] = mailbox.to(busy.email)
    assert "2 reviews still open" in mail["Subject"]
    assert f"/e/{event.slug}/review/queue" in mail.get_content()
    assert mailbox.to(done.email) == []


def test_an_applicant_with_an_unsent_draft_is_told_what_it_lacks_before_the_call_closes(
        app, make_user, mailbox):
    event = build_event(db.session, phase="call", title_en="Call 2026", title_zh="征集 2026")
    closes = event.phase(PhaseKind.CALL).ends_at
    person = make_user(Role.APPLICANT, timezone="Australia/Sydney")
    sent_one = make_user(Role.APPLICANT)
    db.session.add_all([
        Application(event_id=event.id, applicant_id=person.id, title_en="Batteries"),
        Application(event_id=event.id, applicant_id=sent_one.id, title_en="Done",
                    status=ApplicationStatus.SUBMITTED)])
    db.session.commit()
    assert run(closes - timedelta(days=3)) == 1
    assert run(closes - timedelta(days=1)) == 0
    [mail] = mailbox.to(person.email)
    body = mail.get_content()
    assert "the pitch deck" in body
    assert "the summary" in body
    assert f"/e/{event.slug}/apply" in body
    assert "Australia/Sydney" in body
    assert mailbox.to(sent_one.email) == []


def test_one_reminder_that_fails_stops_no_other(event, make_user, mailbox):
    broken = finalist(event, make_user, zone="Mars/Olympus_Mons")  # a zone no database knows
    fine = finalist(event, make_user)
    at = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    pitch(event, broken, at)
    pitch(event, fine, at)
    assert run(at - timedelta(hours=3)) == 1
    assert len(mailbox.to(fine.applicant.email)) == 1
    assert mailbox.to(broken.applicant.email) == []
    assert kinds_of(broken.applicant) == []
    assert run(at - timedelta(hours=2)) == 0  # the one sent is not sent again
