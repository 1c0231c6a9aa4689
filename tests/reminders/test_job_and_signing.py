"""The job queue runs the reminders every minute; a signer whose turn waits is reminded once per
turn, and not once they have signed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.jobs.queue import job_queue
from roadshow.reminders import jobs
from roadshow.reminders.jobs import EVERY_MINUTE
from roadshow.reminders.sending import SIGNATURE_WAIT, send_due
from roadshow.scheduling.models import PitchSession, SessionStatus, Slot
from tests.many_events_fixtures import build_event
from tests.signing.conftest import sign_as

MINUTE = timedelta(minutes=1)
#: two moments of the consumer's clock (Huey's naive UTC)
MORNING = datetime(2026, 12, 10, 1, 7, tzinfo=UTC).replace(tzinfo=None)
EVENING = datetime(2026, 12, 10, 13, 59, tzinfo=UTC).replace(tzinfo=None)


def run(now):
    sent = send_due(db.session, now)
    db.session.commit()
    return sent


def test_the_queue_runs_the_reminders_every_minute(app, make_user, mailbox):
    huey = job_queue(app).huey
    for moment in (MORNING, EVENING):
        assert EVERY_MINUTE in [task.name for task in huey.read_periodic(moment)]
    event = build_event(db.session, phase="roadshow")
    person = make_user(Role.APPLICANT, timezone="Europe/London")
    application = Application(event_id=event.id, applicant_id=person.id, title_en="Lidar",
                              status=ApplicationStatus.FINALIST)
    at = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=40)
    session = PitchSession(event_id=event.id, title_zh="下午场", title_en="Afternoon",
                           starts_at=at, ends_at=at + timedelta(hours=1),
                           status=SessionStatus.PUBLISHED)
    db.session.add(application)
    db.session.flush()
    session.slots = [Slot(application_id=application.id, starts_at=at,
                          ends_at=at + timedelta(minutes=20))]
    db.session.add(session)
    db.session.commit()
    [task] = [t for t in huey.read_periodic(MORNING) if t.name == EVERY_MINUTE]
    with jobs._running:  # a long run still going: the next minute's run steps aside
        huey.execute(task)
    assert mailbox.to(person.email) == []
    huey.execute(task)  # what the consumer does each minute
    huey.execute(task)  # and the next minute: already sent
    # the live room's device check (it was not sent two days before) and the hour-before
    check, mail = sorted(mailbox.to(person.email), key=lambda m: "one hour" in m["Subject"])
    assert "Check your camera and microphone" in check["Subject"]
    assert "starts in one hour" in mail["Subject"]


def test_a_waiting_signer_is_reminded_once_per_turn_and_never_after_signing(
        sent_intent, mailbox):
    intent = sent_intent()
    first, second, _third = sorted(intent.signers, key=lambda s: s.position)
    told = first.notified_at
    assert run(told + SIGNATURE_WAIT - MINUTE) == 0
    assert run(told + SIGNATURE_WAIT) == 1
    assert run(told + SIGNATURE_WAIT + timedelta(hours=5)) == 0
    [mail] = [m for m in mailbox.to(first.user.email) if intent.reference in m["Subject"]
              and "has waited for your signature" in m.get_content()]
    assert f"/e/{intent.application.event.slug}/signing/intents/{intent.id}/sign" in mail.get_content()
    assert "List-Unsubscribe" not in mail  # essential: it asks them to act

    sign_as(first.user, intent, mailbox)
    db.session.refresh(second)
    later = second.notified_at + SIGNATURE_WAIT
    mailbox.clear()
    assert run(later) == 1  # the second signer's turn, not the first's again
    assert mailbox.to(first.user.email) == []
    assert len(mailbox.to(second.user.email)) == 1
    assert run(later + timedelta(days=1)) == 0
    assert later.tzinfo == UTC
