"""Sessions, availability, hand edits and invites that update and cancel, through real SMTP."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.organisations import grants
from roadshow.scheduling import (
    availability_and_attendance,
    calendar_entries,
    exceptions,
    feeds,
    pitch_sessions,
    placement,
    proposals,
    queries,
    sending,
)
from roadshow.scheduling.models import CalendarInvite, InviteMethod, RsvpStatus, SlotKind
from tests.scheduling.conftest import DAY1, DAY2


def pitch_slots(pitch_session):
    return [s for s in pitch_session.slots if s.kind == SlotKind.PITCH]


def calendar_of(message):
    """The text/calendar alternative and the .ics attachment of an email, checked to agree."""
    assert message.get_content_type() == "multipart/mixed"
    [alternative] = [p for p in message.iter_parts() if p.get_content_type() == "multipart/alternative"]
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds[0] == "text/plain"
    assert "text/calendar" in kinds
    inline = next(p for p in alternative.iter_parts() if p.get_content_type() == "text/calendar")
    [attached] = [p for p in message.iter_attachments() if p.get_filename() and p.get_filename().endswith(".ics")]
    inline_bytes = inline.get_content().encode("utf-8") if isinstance(inline.get_content(), str) else inline.get_content()
    cal = Calendar.from_ical(inline_bytes)
    for component in cal.walk():
        assert not component.errors
    IcsCalendarStream.calendar_from_ics(inline_bytes.decode("utf-8"))  # the strict parser agrees
    assert inline.get_param("method") == str(cal["METHOD"]), "the MIME method must match the file"
    assert Calendar.from_ical(attached.get_content())["METHOD"] == cal["METHOD"]
    return inline.get_param("method"), cal


def test_a_session_is_cut_into_district_presentations_breaks_and_pitch_slots(make_session, event):
    pitch_session = make_session(DAY1, "19:00", "21:00", districts=event.districts, breaks="20:00-20:10")
    kinds = [s.kind.value for s in pitch_session.slots]
    assert kinds[:2] == ["district", "district"]
    assert "break" in kinds
    # entered in the event's zone (UTC+8): 19:00 Beijing is 11:00 UTC
    assert pitch_session.starts_at == datetime(DAY1.year, 11, 20, 11, 0, tzinfo=UTC)
    pitches = pitch_slots(pitch_session)
    assert pitches[0].starts_at == datetime(DAY1.year, 11, 20, 11, 20, tzinfo=UTC)
    assert all(s.minutes == 20 for s in pitches)
    brk = next(s for s in pitch_session.slots if s.kind == SlotKind.BREAK)
    assert all(not (s.starts_at < brk.ends_at and brk.starts_at < s.ends_at) for s in pitches)


def test_unreadable_breaks_are_refused_with_a_reason():
    with pytest.raises(exceptions.ScheduleError) as caught:
        pitch_sessions.parse_breaks("lunch")
    assert caught.value.code == "break_format"
    with pytest.raises(exceptions.ScheduleError) as caught:
        pitch_sessions.parse_breaks("13:00-12:00")
    assert caught.value.code == "break_order"


def test_a_session_that_ends_when_it_starts_is_refused_for_what_it_is(make_session):
    with pytest.raises(exceptions.ScheduleError) as caught:
        make_session(DAY1, "09:00", "09:00")
    assert caught.value.code == "session_same_times"


def test_availability_entered_in_the_applicants_zone_is_stored_in_utc(make_finalist, event):
    app = make_finalist("America/Los_Angeles")
    user = app.applicant
    windows, stated = availability_and_attendance.availability_windows(db.session, user, event)
    assert not stated
    assert all(a.astimezone(__import__("zoneinfo").ZoneInfo("America/Los_Angeles")).hour == 7 for a, _b in windows)
    availability_and_attendance.save_availability(db.session, user, event,
                               [(DAY1, time(17, 0), time(22, 0))], "America/Los_Angeles")
    db.session.commit()
    windows, stated = availability_and_attendance.availability_windows(db.session, user, event)
    assert stated
    assert windows == [(datetime(DAY1.year, 11, 21, 1, 0, tzinfo=UTC), datetime(DAY1.year, 11, 21, 6, 0, tzinfo=UTC))]


def test_availability_with_a_window_ending_when_it_starts_is_refused_and_the_saved_one_kept(make_finalist, event):
    user = make_finalist("Asia/Shanghai").applicant
    availability_and_attendance.save_availability(db.session, user, event, [(DAY1, time(9, 0), time(12, 0))], "Asia/Shanghai")
    db.session.commit()
    before, _stated = availability_and_attendance.availability_windows(db.session, user, event)
    with pytest.raises(exceptions.ScheduleError) as caught:
        availability_and_attendance.save_availability(db.session, user, event,
                                   [(DAY1, time(14, 0), time(16, 0)), (DAY2, time(10, 0), time(10, 0))],
                                   "Asia/Shanghai")
    assert caught.value.code == "same_times"
    db.session.rollback()
    assert availability_and_attendance.availability_windows(db.session, user, event) == (before, True)


def test_availability_past_midnight_is_stored_into_the_next_day(make_finalist, event):
    user = make_finalist("Asia/Shanghai").applicant
    availability_and_attendance.save_availability(db.session, user, event, [(DAY1, time(22, 0), time(2, 0))], "Asia/Shanghai")
    db.session.commit()
    windows, _stated = availability_and_attendance.availability_windows(db.session, user, event)
    assert windows == [(datetime(DAY1.year, 11, 20, 14, 0, tzinfo=UTC), datetime(DAY1.year, 11, 20, 18, 0, tzinfo=UTC))]


def test_the_proposal_respects_availability_and_tracks(make_finalist, make_session, event, organizer):
    morning = make_session(DAY1, "08:00", "10:00", title="Morning", track=0)  # evening in the Americas
    evening = make_session(DAY1, "19:00", "21:00", title="Evening", track=1)  # morning/noon in Europe
    ny = make_finalist("America/New_York", track=0)
    ams = make_finalist("Europe/Amsterdam", track=1)
    syd = make_finalist("Australia/Sydney", track=0)
    result = proposals.propose(db.session, organizer, event)
    db.session.commit()
    assert result.complete
    assert queries.slot_of_application(db.session, ny, published_only=False).session_id == morning.id
    assert queries.slot_of_application(db.session, ams, published_only=False).session_id == evening.id
    assert queries.slot_of_application(db.session, syd, published_only=False) is not None
    assert proposals.warnings(db.session, event) == []


def test_hand_edits_warn_at_once_about_availability(make_finalist, make_session, event, organizer):
    pitch_session = make_session(DAY1, "08:00", "09:00")  # 01:00 in Amsterdam
    ams = make_finalist("Europe/Amsterdam")
    found = placement.place(db.session, organizer, pitch_slots(pitch_session)[0], ams)
    assert [(w.kind, w.application_id) for w in found] == [("outside_availability", ams.id)]
    assert pitch_slots(pitch_session)[0].pinned


def test_swapping_two_slots_exchanges_their_finalists(make_finalist, make_session, event, organizer):
    pitch_session = make_session(DAY1, "08:00", "09:00")
    a, b = make_finalist("America/New_York"), make_finalist("America/Chicago")
    first, second, _third = pitch_slots(pitch_session)
    placement.place(db.session, organizer, first, a)
    placement.place(db.session, organizer, second, b)
    placement.swap(db.session, organizer, first, second)
    assert (first.application_id, second.application_id) == (b.id, a.id)


def test_a_finalist_who_cannot_be_placed_is_explained(make_finalist, make_session, event, organizer):
    make_session(DAY1, "08:00", "08:20")  # one slot, 01:00 in Amsterdam
    ny = make_finalist("America/New_York")
    ams = make_finalist("Europe/Amsterdam")
    result = proposals.propose(db.session, organizer, event)
    assert [u.application_id for u in result.unplaced] == [ams.id]
    assert proposals.explain(db.session, event)[ams.id].reason == "outside_availability"
    assert ny.id in result.assignment


@pytest.fixture
def published(make_finalist, make_session, make_user, event, organizer):
    """A published session with two finalists, a judge and an interested district's recruiter."""
    pitch_session = make_session(DAY1, "08:00", "10:00", districts=[event.districts[0]])
    ny = make_finalist("America/New_York", districts=[event.districts[0]])
    syd = make_finalist("Australia/Sydney", locale="zh_Hans_CN")
    judge = make_user(Role.JUDGE, timezone="Asia/Shanghai", locale="zh_Hans_CN")
    recruiter = make_user(Role.RECRUITER, district=event.districts[0], timezone="Asia/Shanghai")
    availability_and_attendance.set_attendance(db.session, judge, event, [pitch_session.id])
    proposals.propose(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    return {"session": pitch_session, "ny": ny, "syd": syd, "judge": judge, "recruiter": recruiter}


def test_publishing_sends_every_participant_a_request_by_email(published, event, organizer, mailbox):
    job = sending.send_invites(db.session, organizer, event)
    ny, judge, recruiter = published["ny"].applicant, published["judge"], published["recruiter"]
    assert job.finished_at is not None
    assert job.done == job.total == job.requests
    [to_ny] = mailbox.to(ny.email)
    method, cal = calendar_of(to_ny)
    assert method == "REQUEST"
    [entry] = cal.events
    assert entry["UID"] == calendar_entries.pitch_uid(published["ny"].id, event)
    assert entry["DTSTART"].params["TZID"] == "America/New_York"
    assert entry["LOCATION"] == "https://meeting.example.org/j/123456"
    assert "https://meeting.example.org/j/123456" in to_ny.get_body(("plain",)).get_content()
    assert f"/e/{event.slug}/live/{published['session'].id}" in to_ny.get_body(("plain",)).get_content()  # the live room
    attendees = {str(a) for a in entry["ATTENDEE"]}
    assert f"mailto:{ny.email}" in attendees
    assert f"mailto:{recruiter.email}" in attendees
    # the judge gets the session; the recruiter the pitch and the district presentation
    assert [calendar_of(m)[1].events[0]["UID"] for m in mailbox.to(judge.email)] == [
        calendar_entries.session_uid(published["session"])]
    assert len(mailbox.to(recruiter.email)) == 2
    assert mailbox.to(organizer.email), "the organizer gets the session as chair"
    # sending again sends nothing: calendars are up to date
    mailbox.clear()
    again = sending.send_invites(db.session, organizer, event)
    assert again.total == 0
    assert mailbox.messages == []


def test_rescheduling_sends_the_same_uid_with_a_higher_sequence(published, event, organizer, mailbox):
    sending.send_invites(db.session, organizer, event)
    ny = published["ny"]
    [first] = mailbox.to(ny.applicant.email)
    _m, cal = calendar_of(first)
    uid, sequence, start = cal.events[0]["UID"], cal.events[0]["SEQUENCE"], cal.events[0].decoded("DTSTART")
    mailbox.clear()
    slot = queries.slot_of_application(db.session, ny)
    free = next(s for s in pitch_slots(published["session"]) if s.application_id is None)
    placement.swap(db.session, organizer, slot, free)
    db.session.commit()
    sending.send_invites(db.session, organizer, event)
    [update] = mailbox.to(ny.applicant.email)
    method, cal = calendar_of(update)
    assert method == "REQUEST"
    assert cal.events[0]["UID"] == uid
    assert cal.events[0]["SEQUENCE"] > sequence
    assert cal.events[0].decoded("DTSTART") != start
    assert "Updated" in str(update["Subject"])
    # the Sydney finalist did not move and hears nothing
    assert mailbox.to(published["syd"].applicant.email) == []


def test_removing_a_finalist_sends_a_cancel(published, event, organizer, mailbox):
    sending.send_invites(db.session, organizer, event)
    ny = published["ny"]
    _m, cal = calendar_of(mailbox.to(ny.applicant.email)[0])
    sequence = cal.events[0]["SEQUENCE"]
    mailbox.clear()
    placement.place(db.session, organizer, queries.slot_of_application(db.session, ny), None)
    db.session.commit()
    sending.send_invites(db.session, organizer, event)
    [cancel] = mailbox.to(ny.applicant.email)
    method, cal = calendar_of(cancel)
    assert method == "CANCEL"
    assert cal.events[0]["STATUS"] == "CANCELLED"
    assert cal.events[0]["UID"] == calendar_entries.pitch_uid(ny.id, event)
    assert cal.events[0]["SEQUENCE"] > sequence
    row = db.session.scalar(db.select(CalendarInvite).where(CalendarInvite.user_id == ny.applicant_id))
    assert row.method == InviteMethod.CANCEL


def test_deleting_a_session_cancels_it_in_every_calendar(published, event, organizer, mailbox):
    sending.send_invites(db.session, organizer, event)
    mailbox.clear()
    pitch_sessions.delete_session(db.session, organizer, published["session"])
    db.session.commit()
    job = sending.send_invites(db.session, organizer, event)
    assert job.cancels == job.total > 0
    methods = {calendar_of(m)[0] for m in mailbox.messages}
    assert methods == {"CANCEL"}
    assert {str(m["To"]) for m in mailbox.messages} >= {published["judge"].email,
                                                        published["ny"].applicant.email}


def test_a_changed_join_link_updates_every_invite(published, event, organizer, mailbox):
    sending.send_invites(db.session, organizer, event)
    mailbox.clear()
    pitch_session = published["session"]
    data = pitch_sessions.session_data_of(pitch_session, event.timezone)
    data.join_url = "https://meeting.example.org/j/999"
    pitch_sessions.save_session(db.session, organizer, event, data, pitch_session)
    db.session.commit()
    sending.send_invites(db.session, organizer, event)
    for message in mailbox.messages:
        method, cal = calendar_of(message)
        assert method == "REQUEST"
        assert cal.events[0]["LOCATION"] == "https://meeting.example.org/j/999"
        assert cal.events[0]["SEQUENCE"] >= 1


def test_emails_are_in_the_recipients_language_and_zone(published, event, organizer, mailbox):
    sending.send_invites(db.session, organizer, event)
    [to_syd] = mailbox.to(published["syd"].applicant.email)
    body = to_syd.get_body(("plain",)).get_content()
    assert "Australia/Sydney" in body
    assert "Asia/Shanghai" in body
    assert "邀请" in str(to_syd["Subject"]) or "路演" in str(to_syd["Subject"])
    _m, cal = calendar_of(to_syd)
    assert cal.events[0]["DTSTART"].params["TZID"] == "Australia/Sydney"


def test_a_session_invite_gives_its_running_order_in_the_events_zone_and_names_it(
        published, event, organizer, mailbox):
    sending.send_invites(db.session, organizer, event)
    [to_judge] = mailbox.to(published["judge"].email)  # reads Chinese, in Asia/Shanghai
    district = event.districts[0]
    body = to_judge.get_body(("plain",)).get_content()
    assert f"路演顺序（Asia/Shanghai，UTC+0800）：\n08:00 板块推介：{district.name_zh}\n" in body
    _m, cal = calendar_of(to_judge)
    description = str(cal.events[0]["DESCRIPTION"])
    assert f"Running order (Asia/Shanghai, UTC+0800):\n08:00 District: {district.name_en}\n" in description
    assert not re.search(r"\d\d:\d\dZ", body + description), "no bare UTC times"


def test_rsvp_is_recorded_and_shown_in_the_invites_partstat(published, event, organizer, mailbox):
    ny = published["ny"]
    uid = calendar_entries.pitch_uid(ny.id, event)
    feeds.set_rsvp(db.session, ny.applicant, event, uid, RsvpStatus.ACCEPTED)
    db.session.commit()
    assert [r.status.value for r in feeds.rsvps_by_uid(db.session, event)[uid]] == ["accepted"]
    occ = feeds.occurrence_for(db.session, ny.applicant, grants.in_event(db.session, ny.applicant, event), event,
                                  slot=queries.slot_of_application(db.session, ny))
    me = next(p for p in occ.attendees if p.email == ny.applicant.email)
    assert me.partstat == "ACCEPTED"
    with pytest.raises(exceptions.ScheduleError):
        feeds.set_rsvp(db.session, published["syd"].applicant, event, uid, RsvpStatus.ACCEPTED)


def test_the_personal_feed_lists_only_the_users_entries_and_its_token_can_be_revoked(published, event):
    ny = published["ny"].applicant
    token = feeds.feed_token(db.session, ny)
    assert feeds.user_by_feed_token(db.session, token.token) == ny
    cal = Calendar.from_ical(feeds.personal_feed(db.session, ny))
    assert [e["UID"] for e in cal.events] == [calendar_entries.pitch_uid(published["ny"].id, event)]
    fresh = feeds.revoke_feed_token(db.session, ny)
    assert fresh.token != token.token
    assert feeds.user_by_feed_token(db.session, token.token) is None
    assert feeds.user_by_feed_token(db.session, fresh.token) == ny


@pytest.mark.parametrize(("locale", "name"), [
    ("en", "Xuzhou Cloud Roadshow 2026 · Lin Hart"),
    ("zh_Hans_CN", "2026 徐州云创荟 · 林哈特"),
])
def test_the_personal_feed_is_named_in_the_users_language(published, event, locale, name):
    judge = published["judge"]
    judge.locale, judge.name, judge.name_native = locale, "Lin Hart", "林哈特"
    db.session.commit()
    cal = Calendar.from_ical(feeds.personal_feed(db.session, judge))
    assert str(cal["X-WR-CALNAME"]) == name


def test_the_public_feed_names_no_one(published, event):
    data = feeds.public_feed(db.session, event)
    assert b"mailto:" not in data
    assert b"Presenter" not in data  # no presenter names, only titles and times
    assert len(Calendar.from_ical(data).events) >= 3


def test_drafts_stay_out_of_calendars(make_finalist, make_session, event, organizer, mailbox):
    make_session(DAY2, "08:00", "09:00")
    make_finalist("America/New_York")
    proposals.propose(db.session, organizer, event)
    db.session.commit()
    assert sending.plan_invites(db.session, event) == []
    assert calendar_entries.deliveries(db.session, event) == []
    assert timedelta(0) == timedelta(0)


def test_a_rescheduled_pitch_asks_for_an_answer_again(published, event, organizer, mailbox):
    ny = published["ny"]
    uid = calendar_entries.pitch_uid(ny.id, event)
    sending.send_invites(db.session, organizer, event)
    feeds.set_rsvp(db.session, ny.applicant, event, uid, RsvpStatus.ACCEPTED)
    db.session.commit()
    mailbox.clear()
    slot = queries.slot_of_application(db.session, ny)
    free = next(s for s in pitch_slots(published["session"]) if s.application_id is None)
    placement.swap(db.session, organizer, slot, free)
    db.session.commit()
    sending.send_invites(db.session, organizer, event)
    [update] = mailbox.to(ny.applicant.email)
    _m, cal = calendar_of(update)
    me = next(a for a in cal.events[0]["ATTENDEE"] if str(a) == f"mailto:{ny.applicant.email}")
    assert me.params["PARTSTAT"] == "NEEDS-ACTION"
    assert [r.status.value for r in feeds.rsvps_by_uid(db.session, event)[uid]] == ["needs-action"]


def _sequences(ics: bytes) -> dict[str, int]:
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in Calendar.from_ical(ics).events}


def test_downloads_and_feeds_are_never_older_than_the_emails_sent(published, event, organizer, mailbox):
    sending.send_invites(db.session, organizer, event)
    ny = published["ny"]
    slot = queries.slot_of_application(db.session, ny)
    pitch_sessions.unpublish(db.session, organizer, published["session"])  # cancelled in every calendar...
    db.session.commit()
    sending.send_invites(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)  # ...and invited again
    db.session.commit()
    sending.send_invites(db.session, organizer, event)
    uid = calendar_entries.pitch_uid(ny.id, event)
    sent = {(r.user_id, r.uid): r.sequence for r in db.session.scalars(db.select(CalendarInvite))}
    assert sent[ny.applicant_id, uid] > slot.sequence  # request, cancel, request: the emails went on
    checked = 0
    for user in (ny.applicant, published["recruiter"], published["judge"], organizer):
        feed = _sequences(feeds.personal_feed(db.session, user))
        public = _sequences(feeds.public_feed(db.session, event))
        for (user_id, entry), sequence in sent.items():
            if user_id != user.id or entry not in feed:
                continue
            assert feed[entry] >= sequence, (user.email, entry)
            assert public[entry] >= sequence, entry
            checked += 1
    occ = feeds.occurrence_for(db.session, ny.applicant, grants.in_event(db.session, ny.applicant, event), event, slot=slot)
    assert occ.sequence == sent[ny.applicant_id, uid]  # the download matches the last email
    assert checked >= 5
    # a change not yet sent already counts above what was sent
    free = next(s for s in pitch_slots(published["session"]) if s.application_id is None)
    placement.swap(db.session, organizer, slot, free)
    db.session.commit()
    assert _sequences(feeds.personal_feed(db.session, ny.applicant))[uid] > sent[ny.applicant_id, uid]
    job = sending.send_invites(db.session, organizer, event)
    assert job.requests
    row = db.session.scalar(db.select(CalendarInvite).where(CalendarInvite.user_id == ny.applicant_id,
                                                            CalendarInvite.uid == uid))
    assert _sequences(feeds.personal_feed(db.session, ny.applicant))[uid] == row.sequence
