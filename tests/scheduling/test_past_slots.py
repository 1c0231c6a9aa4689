"""A slot that has already started takes no new pitch and no invitation: the editor refuses it
with the reason, and an organizer may only record there a pitch that was given, which sends
nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from roadshow.extensions import db
from roadshow.scheduling import exceptions, pitch_sessions, placement, proposals, queries, sending
from roadshow.scheduling.models import CalendarInvite, SlotKind
from tests.many_events_fixtures import event_url
from tests.scheduling.conftest import DAY1


def _pitches(pitch_session):
    return [s for s in pitch_session.slots if s.kind == SlotKind.PITCH]


@pytest.fixture
def earlier(make_session):
    """A session that took place a week ago, in the event's zone."""
    day = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=7)).date()
    return make_session(day, "08:00", "10:00", title="Last week")


def test_placing_a_finalist_in_a_slot_that_has_started_is_refused(earlier, make_finalist, organizer):
    app = make_finalist()
    slot = _pitches(earlier)[0]
    with pytest.raises(exceptions.ScheduleError) as refused:
        placement.place(db.session, organizer, slot, app)
    assert refused.value.code == "slot_past"
    assert refused.value.params["when"] == slot.starts_at
    db.session.rollback()
    assert slot.application_id is None


@pytest.mark.parametrize(("locale", "reason", "record"), [
    ("en", "which has passed: no invitation can be sent for it", "Record as given"),
    ("zh_Hans_CN", "时间已过，无法为其发送日程邀请", "记录为已路演"),
])
def test_the_editor_says_why_a_past_slot_is_refused(earlier, make_finalist, login_as, organizer,
                                                    locale, reason, record, event):
    organizer.locale = locale
    db.session.commit()
    app = make_finalist()
    slot = _pitches(earlier)[0]
    client, _ = login_as(organizer)
    page = client.post(event_url(event, f"/schedule/manage/slots/{slot.id}/place"), data={"application_id": app.id},
                       follow_redirects=True).get_data(as_text=True)
    assert reason in page
    db.session.expire_all()
    assert queries.slot_of_application(db.session, app, published_only=False) is None
    # the editor offers to record the pitch as given instead
    assert record in page


def test_a_pitch_recorded_as_given_sends_nothing(earlier, make_finalist, event, organizer, mailbox, login_as):
    app = make_finalist()
    slot = _pitches(earlier)[0]
    client, _ = login_as(organizer)
    client.post(event_url(event, f"/schedule/manage/slots/{slot.id}/place"), data={"application_id": app.id, "given": "1"})
    db.session.expire_all()
    assert slot.application_id == app.id
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    assert sending.plan_invites(db.session, event) == []
    job = sending.send_invites(db.session, organizer, event)
    assert job.total == 0
    assert mailbox.to(app.applicant.email) == []


def test_recording_as_given_is_only_for_a_slot_that_has_started(make_session, make_finalist, organizer):
    ahead = make_session(DAY1, "08:00", "10:00")
    with pytest.raises(exceptions.ScheduleError) as refused:
        placement.place(db.session, organizer, _pitches(ahead)[0], make_finalist(), given=True)
    assert refused.value.code == "given_future"


def test_an_invitation_already_sent_is_not_sent_again_once_its_time_has_passed(
        make_session, make_finalist, event, organizer, mailbox):
    ahead = make_session(DAY1, "08:00", "10:00")
    app = make_finalist()
    placement.place(db.session, organizer, _pitches(ahead)[0], app)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    assert sending.send_invites(db.session, organizer, event).requests
    # time passes: the session and what was sent for it are three days ago...
    shift = DAY1 - (datetime.now(ZoneInfo("UTC")) - timedelta(days=3)).date()
    for item in (ahead, *ahead.slots, *db.session.scalars(db.select(CalendarInvite))):
        item.starts_at -= shift
        item.ends_at -= shift
    assert ahead.ends_at < datetime.now(ZoneInfo("UTC"))
    # ...and a change made to it afterwards (a new link) is not sent for a time that has passed
    ahead.join_url = "https://meeting.example.org/j/after"
    db.session.commit()
    mailbox.clear()
    assert sending.send_invites(db.session, organizer, event).total == 0
    assert mailbox.messages == []


def test_swapping_with_a_slot_that_has_started_is_refused(earlier, make_session, make_finalist, organizer):
    ahead = make_session(DAY1, "08:00", "10:00")
    app = make_finalist()
    placement.place(db.session, organizer, _pitches(ahead)[0], app)
    db.session.commit()
    with pytest.raises(exceptions.ScheduleError) as refused:
        placement.swap(db.session, organizer, _pitches(ahead)[0], _pitches(earlier)[0])
    assert refused.value.code == "slot_past"


def test_the_proposal_leaves_slots_that_have_started_alone(earlier, make_session, make_finalist, event, organizer):
    ahead = make_session(DAY1, "08:00", "10:00")
    apps = [make_finalist("Asia/Shanghai") for _ in range(2)]
    proposals.propose(db.session, organizer, event)
    db.session.commit()
    assert all(s.application_id is None for s in _pitches(earlier))
    assert {s.application_id for s in _pitches(ahead)} >= {a.id for a in apps}


def test_a_session_with_pitches_cannot_be_moved_into_the_past(make_session, make_finalist, event, organizer):
    ahead = make_session(DAY1, "08:00", "10:00")
    placement.place(db.session, organizer, _pitches(ahead)[0], make_finalist())
    db.session.commit()
    data = pitch_sessions.session_data_of(ahead, event.timezone)
    data.day = (datetime.now(ZoneInfo(event.timezone)) - timedelta(days=2)).date()
    with pytest.raises(exceptions.ScheduleError) as refused:
        pitch_sessions.save_session(db.session, organizer, event, data, ahead)
    assert refused.value.code == "slot_past"
