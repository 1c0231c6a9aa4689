"""The schedule pages, by role and in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events.models import EventPhase, PhaseKind
from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from roadshow.scheduling import (
    availability_and_attendance,
    calendar_entries,
    feeds,
    pitch_sessions,
    proposals,
    queries,
)
from roadshow.scheduling.models import Availability, PitchSession, SendJob, SlotKind
from tests.many_events_fixtures import event_url
from tests.scheduling.conftest import DAY1, DAY2


def test_the_organizer_defines_a_session_in_the_events_zone(event, organizer, login_as):
    client, _user = login_as(organizer)
    page = client.get(event_url(event, "/schedule/manage/sessions/new"))
    assert page.status_code == 200
    assert "Asia/Shanghai" in page.get_data(as_text=True)
    response = client.post(event_url(event, "/schedule/manage/sessions/new"), data={
        "title_zh": "生物医药专场", "title_en": "Biomedicine", "day": DAY1.isoformat(), "start": "19:00",
        "end": "21:30", "track_id": str(event.tracks[0].id), "join_url": "https://meeting.example.org/j/1",
        "pitch_minutes": "12", "qa_minutes": "8", "breaks": "20:00-20:10",
        "district_ids": [str(event.districts[0].id)], "district_minutes": "10"})
    assert response.status_code == 302
    [saved] = db.session.scalars(db.select(PitchSession)).all()
    assert saved.starts_at.hour == 11  # 19:00 in Beijing
    assert saved.slots[0].kind == SlotKind.DISTRICT
    editor = client.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    assert "生物医药专场" in editor
    assert "19:00" in editor


def test_a_bad_session_form_keeps_what_was_typed_and_says_why(event, organizer, login_as):
    client, _user = login_as(organizer)
    page = client.post(event_url(event, "/schedule/manage/sessions/new"), data={
        "title_zh": "上午场", "title_en": "Morning", "day": DAY1.isoformat(), "start": "08:00", "end": "10:00",
        "track_id": "0", "join_url": "", "pitch_minutes": "12", "qa_minutes": "8",
        "breaks": "lunch time", "district_minutes": "10"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Could not read the break" in text or "无法识别" in text
    assert 'value="lunch time"' in text
    assert 'value="上午场"' in text
    assert db.session.scalar(db.select(PitchSession)) is None


def test_an_applicant_states_availability_in_their_own_zone(event, make_finalist, make_session, login_as):
    make_session(DAY1, "08:00", "10:00")
    app = make_finalist("America/Los_Angeles")
    client, user = login_as(app.applicant)
    page = client.get(event_url(event, "/schedule/availability")).get_data(as_text=True)
    assert "America/Los_Angeles" in page
    assert 'value="07:00"' in page
    assert 'value="23:00"' in page
    days = availability_and_attendance.local_days(db.session, event, "America/Los_Angeles")
    form = {f"d{i}_1_from": "" for i in range(len(days))} | {f"d{i}_1_until": "" for i in range(len(days))}
    form |= {"d1_1_from": "16:00", "d1_1_until": "19:30"}
    assert client.post(event_url(event, "/schedule/availability"), data=form).status_code == 302
    row = db.session.scalar(db.select(Availability).where(Availability.user_id == user.id))
    assert row.zone == "America/Los_Angeles"
    [(start, end)] = row.intervals()
    assert (start.hour, end.hour, end.minute) == (0, 3, 30)  # 16:00-19:30 PST in UTC
    page = client.get(event_url(event, "/schedule/availability")).get_data(as_text=True)
    assert 'value="16:00"' in page
    assert 'value="19:30"' in page


def test_unreadable_availability_is_refused_and_kept(event, make_finalist, login_as):
    app = make_finalist("Europe/Amsterdam")
    client, user = login_as(app.applicant)
    page = client.post(event_url(event, "/schedule/availability"), data={"d0_1_from": "9 am", "d0_1_until": "12:00"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "HH:MM" in text
    assert 'value="9 am"' in text
    assert db.session.scalar(db.select(Availability)) is None


def test_judges_choose_the_sessions_they_attend(event, make_session, login_as):
    morning = make_session(DAY1, "08:00", "10:00")
    client, judge = login_as(Role.JUDGE)
    assert "Morning" in client.get(event_url(event, "/schedule/attendance")).get_data(as_text=True)
    client.post(event_url(event, "/schedule/attendance"), data={"session_id": [str(morning.id)]})
    assert availability_and_attendance.attending_ids(db.session, judge, event) == {morning.id}
    client.post(event_url(event, "/schedule/attendance"), data={})
    assert availability_and_attendance.attending_ids(db.session, judge, event) == set()


def test_propose_move_publish_and_send_with_progress(event, organizer, make_finalist, make_session,
                                                      login_as, mailbox):
    make_session(DAY1, "08:00", "10:00")
    a, b = make_finalist("America/New_York"), make_finalist("Australia/Sydney")
    client, _user = login_as(organizer)
    client.post(event_url(event, "/schedule/manage/propose"))
    assert proposals.unplaced(db.session, event) == []
    slot_a = queries.slot_of_application(db.session, a, published_only=False)
    slot_b = queries.slot_of_application(db.session, b, published_only=False)
    response = client.post(event_url(event, "/schedule/manage/swap"), data={"slot_id": slot_a.id, "target_id": slot_b.id},
                           follow_redirects=True)
    assert response.status_code == 200
    db.session.expire_all()
    assert queries.slot_of_application(db.session, a, published_only=False).id == slot_b.id
    client.post(event_url(event, "/schedule/manage/publish"))
    response = client.post(event_url(event, "/schedule/manage/send"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/jobs/")
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    job = db.session.scalar(db.select(Job))  # tests run jobs inside the request (Huey immediate)
    assert job.status == JobStatus.DONE
    assert job.done == job.total > 0
    assert db.session.scalar(db.select(SendJob)).requests == job.total
    assert "<progress" in job_page
    assert mailbox.to(a.applicant.email)


def _availability_form(**rows: tuple[str, str]) -> dict[str, str]:
    """The availability form of an applicant in Asia/Shanghai (d0 = DAY1, d1 = DAY2)."""
    form = {f"d{i}_{n}_{side}": "" for i in (0, 1) for n in (1, 2) for side in ("from", "until")}
    for key, (start, end) in rows.items():
        form |= {f"{key}_from": start, f"{key}_until": end}
    return form


def _saved_windows(user):
    return db.session.scalar(db.select(Availability.windows).where(Availability.user_id == user.id))


def test_a_window_ending_when_it_starts_is_refused_in_english_keeping_the_form_and_the_saved_hours(
        event, make_finalist, login_as):
    app = make_finalist("Asia/Shanghai")
    availability_and_attendance.save_availability(db.session, app.applicant, event, [(DAY1, time(9, 0), time(12, 0))], "Asia/Shanghai")
    db.session.commit()
    saved = _saved_windows(app.applicant)
    client, _user = login_as(app.applicant)
    page = client.post(event_url(event, "/schedule/availability"),
                       data=_availability_form(d0_1=("08:00", "11:00"), d1_1=("13:15", "13:15")))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The window must end at a different time than it starts." in text
    assert f'name="d1_1_from" aria-label="From {DAY2}" value="13:15"' in text
    assert f'name="d1_1_until" aria-label="Until {DAY2}" value="13:15"' in text
    assert f'name="d0_1_from" aria-label="From {DAY1}" value="08:00"' in text
    db.session.expire_all()
    assert _saved_windows(app.applicant) == saved


def test_a_window_ending_when_it_starts_is_refused_in_chinese(event, make_finalist, login_as):
    app = make_finalist("Asia/Shanghai", locale="zh_Hans_CN")
    client, _user = login_as(app.applicant)
    page = client.post(event_url(event, "/schedule/availability"), data=_availability_form(d0_1=("00:00", "00:00")))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "时段的结束时间必须与开始时间不同。" in text
    assert 'value="00:00"' in text
    assert db.session.scalar(db.select(Availability)) is None


def test_a_window_ending_after_midnight_is_still_accepted(event, make_finalist, login_as):
    app = make_finalist("Asia/Shanghai")
    client, _user = login_as(app.applicant)
    response = client.post(event_url(event, "/schedule/availability"), data=_availability_form(d0_1=("22:00", "02:00")))
    assert response.status_code == 302
    row = db.session.scalar(db.select(Availability).where(Availability.user_id == app.applicant.id))
    [(start, end)] = row.intervals()
    assert (start.day, start.hour, end.day, end.hour) == (20, 14, 20, 18)  # 22:00-02:00 in Beijing, in UTC


def test_a_move_outside_availability_warns_at_once(event, organizer, make_finalist, make_session, login_as):
    pitch_session = make_session(DAY1, "08:00", "09:00")  # 01:00 in Amsterdam
    ams = make_finalist("Europe/Amsterdam", name="Anna de Vries")
    client, _user = login_as(organizer)
    slot = next(s for s in pitch_session.slots if s.kind == SlotKind.PITCH)
    page = client.post(event_url(event, f"/schedule/manage/slots/{slot.id}/place"), data={"application_id": ams.id},
                       follow_redirects=True).get_data(as_text=True)
    # the organizer reads Chinese
    assert "Anna de Vries 的时段不在其可参加时间内" in page


def test_the_applicant_sees_their_pitch_time_in_their_zone_with_the_event_zone(
        event, organizer, make_finalist, make_session, login_as):
    make_session(DAY1, "08:00", "10:00")
    app = make_finalist("America/New_York")
    proposals.propose(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    client, user = login_as(app.applicant)
    page = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert "My pitch time" in page
    assert "America/New_York" in page
    assert "Asia/Shanghai" in page
    assert "https://meeting.example.org/j/123456" in page
    slot = queries.slot_of_application(db.session, app)
    download = client.get(event_url(event, f"/schedule/slots/{slot.id}.ics"))
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in download.headers["Content-Disposition"]
    [entry] = Calendar.from_ical(download.data).events
    IcsCalendarStream.calendar_from_ics(download.data.decode("utf-8"))
    assert entry["DTSTART"].params["TZID"] == "America/New_York"
    # accept in the app; the organizer sees it
    uid = calendar_entries.pitch_uid(app.id, event)
    client.post(event_url(event, "/schedule/rsvp"), data={"uid": uid, "status": "accepted"})
    org_client, _o = login_as(organizer)
    editor = org_client.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    assert f"{app.applicant.name}: " in editor


def test_pages_read_in_chinese(event, organizer, make_session, login_as):
    make_session(DAY1, "08:00", "10:00")
    client, _user = login_as(organizer)
    text = client.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    assert "路演日程编辑" in text or "日程" in text


def test_the_feed_url_serves_text_calendar_until_revoked(event, organizer, make_finalist, make_session,
                                                         login_as, client):
    make_session(DAY1, "08:00", "10:00")
    app = make_finalist("Europe/Amsterdam")
    make_session(DAY1, "19:00", "20:00", title="Evening")
    proposals.propose(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    user_client, user = login_as(app.applicant)
    assert "/schedule/feed/" in user_client.get("/schedule/feed").get_data(as_text=True)
    token = feeds.feed_token(db.session, user).token
    feed = client.get(f"/schedule/feed/{token}.ics")
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("text/calendar")
    assert len(Calendar.from_ical(feed.data).events) == 1
    assert len(IcsCalendarStream.calendar_from_ics(feed.data.decode("utf-8")).events) == 1
    user_client.post("/schedule/feed/revoke")
    assert client.get(f"/schedule/feed/{token}.ics").status_code == 404
    public = client.get(event_url(event, "/schedule.ics"))
    assert public.status_code == 200
    assert b"mailto:" not in public.data


def test_another_applicants_slot_downloads_without_anyones_address(event, organizer, make_finalist,
                                                                   make_session, login_as):
    make_session(DAY1, "08:00", "10:00")
    mine, theirs = make_finalist("America/New_York"), make_finalist("America/Toronto")
    proposals.propose(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    client, _user = login_as(mine.applicant)
    slot = queries.slot_of_application(db.session, theirs)
    download = client.get(event_url(event, f"/schedule/slots/{slot.id}.ics"))
    assert download.status_code == 200
    assert b"mailto:" not in download.data
    page = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert theirs.applicant.name not in page.replace(theirs.title_en, "")


def test_the_editor_shows_each_finalists_availability_in_their_zone_and_the_events(
        event, organizer, make_finalist, make_session, login_as):
    make_session(DAY1, "08:00", "10:00")
    app = make_finalist("Australia/Sydney", name="Olivia Brown")
    availability_and_attendance.save_availability(db.session, app.applicant, event,
                               [(DAY1, time(10, 0), time(12, 0))], "Australia/Sydney")
    db.session.commit()
    client, _user = login_as(organizer)
    page = client.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    row = page[page.index("Olivia Brown", page.index('id="availability"')):]
    assert "10:00 (Australia/Sydney" in row  # as she entered it
    assert "07:00 (Asia/Shanghai" in row  # 10:00 in Sydney (UTC+11) is 07:00 in Beijing


def test_the_programme_leads_to_each_sessions_live_room_for_those_who_may_enter(
        event, organizer, make_session, login_as):
    pitch_session = make_session(DAY1, "08:00", "10:00")
    room = f'href="/e/{event.slug}/live/{pitch_session.id}"'
    organizer_client, _ = login_as(organizer)
    assert room in organizer_client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert room in organizer_client.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    judge_client, _ = login_as(Role.JUDGE)
    assert room not in judge_client.get(event_url(event, "/schedule/")).get_data(as_text=True)  # a draft has no audience
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    assert room in judge_client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert judge_client.get(event_url(event, f"/live/{pitch_session.id}")).status_code == 200


@pytest.mark.parametrize(("locale", "first_slot"), [
    ("en", "Fri, Nov 20, 00:00 (Europe/London, GMT+00:00) · "),
    ("zh_Hans_CN", "11月20日周五 00:00 (Europe/London, GMT+00:00) · "),
])
def test_the_swap_panel_names_each_slot_by_day_and_time_in_the_readers_zone_and_language(
        event, organizer, make_session, login_as, locale, first_slot):
    make_session(DAY1, "08:00", "10:00")  # 08:00 in Shanghai is midnight in London
    organizer.timezone, organizer.locale = "Europe/London", locale
    db.session.commit()
    client, _user = login_as(organizer)
    page = client.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    panel = page[page.index('id="swap-panel"'):page.index("</form>", page.index('id="swap-panel"'))]
    assert f">{first_slot}" in panel
    assert "11-20" not in panel



@pytest.mark.parametrize(("locale", "shown"), [
    ("en", "Your project was not selected for the roadshow, so it has no pitch time."),
    ("zh_Hans_CN", "您的项目本次未入围路演，因此没有路演时间。"),
])
def test_an_applicant_told_they_were_not_selected_is_not_promised_a_pitch_time(
        event, make_finalist, login_as, locale, shown):
    app = make_finalist(locale=locale)
    app.status = ApplicationStatus.NOT_SELECTED
    db.session.commit()
    client, _user = login_as(app.applicant)
    programme = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert shown in programme
    assert "Finalists are given a pitch time" not in programme
    assert "评审结束后，入围项目将在此看到路演时间。" not in programme


def test_a_finalist_who_withdrew_is_not_shown_the_pitch_time_they_had(
        event, organizer, make_finalist, make_session, login_as):
    make_session(DAY1, "08:00", "10:00")
    app = make_finalist("America/New_York")
    proposals.propose(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)
    app.status = ApplicationStatus.WITHDRAWN
    db.session.commit()
    client, _user = login_as(app.applicant)
    programme = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert "You withdrew your application, so it is not given a pitch time." in programme
    assert "Finalists are given a pitch time" not in programme
    assert "Add to calendar" not in programme
    assert "America/New_York" not in programme.split("My pitch time", 1)[1].split("</div>", 1)[0]


def test_an_applicant_still_under_review_is_told_finalists_get_a_pitch_time(
        event, make_finalist, login_as):
    app = make_finalist()
    app.status = ApplicationStatus.SUBMITTED
    db.session.commit()
    client, _user = login_as(app.applicant)
    programme = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert "Finalists are given a pitch time here once the review is over." in programme


def _call(event, *, ends_in: timedelta) -> None:
    """Give the event a call for projects that ends ``ends_in`` from now (negative: it ended)."""
    now = datetime.now(UTC)
    event.phases.append(EventPhase(kind=PhaseKind.CALL, starts_at=now + ends_in - timedelta(days=30),
                                   ends_at=now + ends_in))
    db.session.commit()


@pytest.mark.parametrize("draft", [False, True], ids=["no application", "only a draft"])
@pytest.mark.parametrize(("locale", "shown", "promise"), [
    ("en", "You did not submit a project for this event, so there is no pitch time for you.",
     "Finalists are given a pitch time"),
    ("zh_Hans_CN", "您未向本次活动提交项目，因此没有您的路演时间。", "评审结束后，入围项目将在此看到路演时间。"),
])
def test_after_the_call_an_applicant_who_submitted_nothing_is_told_so_instead_of_promised_a_pitch_time(
        event, make_user, login_as, draft, locale, shown, promise):
    _call(event, ends_in=-timedelta(days=1))
    applicant = make_user(Role.APPLICANT, locale=locale)
    if draft:
        db.session.add(Application(event_id=event.id, applicant_id=applicant.id, title_en="Half-written"))
        db.session.commit()
    client, _user = login_as(applicant)
    programme = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert shown in programme
    assert promise not in programme


def test_while_the_call_is_open_an_applicant_without_a_project_still_reads_how_finalists_get_a_time(
        event, make_user, login_as):
    _call(event, ends_in=timedelta(days=3))
    client, _user = login_as(make_user(Role.APPLICANT))
    programme = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert "Finalists are given a pitch time here once the review is over." in programme
    assert "You did not submit a project" not in programme
