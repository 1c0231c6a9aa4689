"""A placed finalist who withdraws gives up their slot: it is open for another finalist, every
view drops their project, the next sending cancels their calendar entry, and the organizer is
told by email, all in the withdrawal's own transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from roadshow.accounts.roles import Role
from roadshow.applications import submission
from roadshow.applications.models import ApplicationStatus
from roadshow.applications.signals import application_withdrawn
from roadshow.extensions import db
from roadshow.mail.models import OutboxMessage
from roadshow.scheduling import (
    availability_and_attendance,
    calendar_entries,
    pitch_sessions,
    placement,
    proposals,
    queries,
    sending,
)
from roadshow.scheduling.models import InviteMethod, SlotKind
from tests.many_events_fixtures import event_url

#: a roadshow day still ahead, in the event's zone
AHEAD = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=30)).date()


@pytest.fixture
def scheduled(make_finalist, make_session, make_user, event, organizer):
    """A published session ahead with two finalists placed, a judge, and a recruiter of the
    district the New York finalist chose."""
    pitch_session = make_session(AHEAD, "08:00", "10:00")
    ny = make_finalist("America/New_York", districts=[event.districts[0]])
    syd = make_finalist("Australia/Sydney")
    judge = make_user(Role.JUDGE)
    recruiter = make_user(Role.RECRUITER, district=event.districts[0])
    availability_and_attendance.set_attendance(db.session, judge, event, [pitch_session.id])
    proposals.propose(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    assert queries.slot_of_application(db.session, ny) is not None
    return {"session": pitch_session, "ny": ny, "syd": syd, "judge": judge, "recruiter": recruiter}


def test_a_placed_finalist_who_withdraws_leaves_their_slot_open(scheduled, event):
    ny, syd = scheduled["ny"], scheduled["syd"]
    slot = queries.slot_of_application(db.session, ny)
    submission.withdraw(db.session, ny.applicant, ny)
    db.session.commit()
    assert ny.status == ApplicationStatus.WITHDRAWN
    assert slot.application_id is None
    assert not slot.pinned  # a new proposal may fill it
    assert queries.slot_of_application(db.session, ny, published_only=False) is None
    assert queries.slot_of_application(db.session, syd) is not None  # the others keep theirs
    assert all(d.uid != calendar_entries.pitch_uid(ny.id, event) for d in calendar_entries.deliveries(db.session, event))


def test_the_withdrawn_finalists_invitation_is_cancelled_by_the_next_sending(scheduled, event, organizer,
                                                                            mailbox):
    ny, recruiter = scheduled["ny"], scheduled["recruiter"]
    sending.send_invites(db.session, organizer, event)
    mailbox.clear()
    submission.withdraw(db.session, ny.applicant, ny)
    db.session.commit()
    uid = calendar_entries.pitch_uid(ny.id, event)
    pending = {(p.user.id, p.method) for p in sending.plan_invites(db.session, event)
               if p.occurrence.uid == uid}
    assert pending == {(ny.applicant_id, InviteMethod.CANCEL), (recruiter.id, InviteMethod.CANCEL)}
    mailbox.clear()
    sending.send_invites(db.session, organizer, event)
    [cancel] = [m for m in mailbox.to(ny.applicant.email) if m.get_content_type() == "multipart/mixed"]
    [attached] = [p for p in cancel.iter_attachments() if p.get_filename() == "roadshow.ics"]
    cal = Calendar.from_ical(attached.get_content())
    assert cal["METHOD"] == "CANCEL"
    assert cal.events[0]["UID"] == uid
    assert cal.events[0]["STATUS"] == "CANCELLED"
    assert mailbox.to(scheduled["syd"].applicant.email) == []  # nothing changed for the others


@pytest.mark.parametrize(("locale", "zone", "withdrew", "at", "send_updates"), [
    ("zh_Hans_CN", "Asia/Shanghai", "{name} 已撤回项目申报“{title}”", "08:00 (Asia/Shanghai", "发送日历更新"),
    ("en", "Asia/Tokyo", "{name} withdrew the application “{title}”", "09:00 (Asia/Tokyo",
     "Send the calendar updates"),
])
def test_the_organizer_is_told_by_email_in_their_language_and_zone_which_slot_is_open(
        scheduled, event, organizer, mailbox, locale, zone, withdrew, at, send_updates):
    ny = scheduled["ny"]
    organizer.locale, organizer.timezone = locale, zone
    db.session.commit()
    sending.send_invites(db.session, organizer, event)
    slot = queries.slot_of_application(db.session, ny)
    mailbox.clear()
    submission.withdraw(db.session, ny.applicant, ny)
    db.session.commit()
    [told] = mailbox.to(organizer.email)
    title = ny.title_zh if locale.startswith("zh") else ny.title_en
    assert ny.applicant.name in str(told["Subject"])
    assert title in str(told["Subject"])
    body = told.get_body(("plain",)).get_content()
    assert withdrew.format(name=ny.applicant.name, title=title) in body
    assert at in body  # the open slot, in the organizer's zone, which is named
    assert send_updates in body  # the invitation already sent waits for the next sending
    assert event_url(event, f"/schedule/manage#slot-{slot.id}") in body


def test_a_withdrawal_before_any_invitation_frees_the_slot_without_calendar_changes(scheduled, event,
                                                                                   organizer, mailbox):
    ny = scheduled["ny"]
    submission.withdraw(db.session, ny.applicant, ny)
    db.session.commit()
    assert queries.slot_of_application(db.session, ny, published_only=False) is None
    assert all(p.method == InviteMethod.REQUEST for p in sending.plan_invites(db.session, event))
    [told] = mailbox.to(organizer.email)  # in Chinese
    assert "日程编辑" in told.get_body(("plain",)).get_content()
    assert "发送日历更新" not in told.get_body(("plain",)).get_content()


def test_a_finalist_with_no_slot_withdraws_without_troubling_the_organizer(make_finalist, organizer,
                                                                          mailbox):
    app = make_finalist()
    submission.withdraw(db.session, app.applicant, app)
    db.session.commit()
    assert app.status == ApplicationStatus.WITHDRAWN
    assert mailbox.to(organizer.email) == []


def test_a_pitch_already_given_stays_on_record_when_its_finalist_withdraws(make_finalist, make_session,
                                                                          event, organizer, mailbox):
    past = make_session((datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=30)).date(), "08:00", "10:00")
    assert past.ends_at < datetime.now(ZoneInfo("UTC"))
    app = make_finalist("America/New_York")
    given = next(s for s in past.slots if s.kind == SlotKind.PITCH)
    placement.place(db.session, organizer, given, app, given=True)  # recorded as given
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    slot = queries.slot_of_application(db.session, app)
    assert slot.id == given.id
    submission.withdraw(db.session, app.applicant, app)
    db.session.commit()
    assert slot.application_id == app.id
    assert mailbox.to(organizer.email) == []


def test_a_withdrawal_that_fails_half_way_saves_nothing(scheduled, event, organizer, login_as, mailbox):
    ny = scheduled["ny"]
    sending.send_invites(db.session, organizer, event)
    mailbox.clear()
    slot_id = queries.slot_of_application(db.session, ny).id

    freed_before_the_failure: list[bool] = []

    def fail(_sender, *, session, application, **_kwargs):
        # a later step of the same withdrawal fails, after the slot was freed and the mail queued
        freed_before_the_failure.append(
            queries.slot_of_application(session, application, published_only=False) is None)
        raise RuntimeError("the mail template could not be rendered")

    client, _user = login_as(ny.applicant)
    application_withdrawn.connect(fail)
    try:
        with pytest.raises(RuntimeError):
            client.post(event_url(event, f"/applications/{ny.id}/withdraw"))
    finally:
        application_withdrawn.disconnect(fail)
    assert freed_before_the_failure == [True]
    db.session.rollback()  # what the end of the failed request does
    db.session.expire_all()
    assert ny.status == ApplicationStatus.FINALIST
    assert queries.slot_of_application(db.session, ny).id == slot_id
    assert sending.plan_invites(db.session, event) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.template == "scheduling/mail/withdrawn")) == 0
    assert mailbox.messages == []


def test_the_schedule_editor_offers_the_slot_once_the_finalist_withdrew_on_their_page(
        scheduled, event, organizer, login_as):
    ny = scheduled["ny"]
    slot = queries.slot_of_application(db.session, ny)
    client, _user = login_as(ny.applicant)
    response = client.post(event_url(event, f"/applications/{ny.id}/withdraw"), follow_redirects=True)
    assert response.status_code == 200
    editor, _organizer = login_as(organizer)
    page = editor.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    row = page[page.index(f'id="slot-{slot.id}"'):]
    row = row[:row.index("</tr>")]
    assert ny.applicant.name not in row  # neither in the slot nor among those it offers to place
    assert "空闲时段" in row  # "Open slot", in the organizer's Chinese
    assert scheduled["syd"].applicant.name in row  # offered for it
    programme = editor.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert ny.title_zh not in programme
    assert ny.title_en not in programme
