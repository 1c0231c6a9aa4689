"""Schedules of many events side by side (issue 13): each event's programme, editor and public
feed hold only its own sessions; the personal feed holds a person's entries of every event they
take part in, of any office; a copied event takes the session layout without anyone in it; the
dashboard's to-dos of the schedule."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.districts.models import District
from roadshow.events.copying import CopyData, copy_event
from roadshow.extensions import db
from roadshow.organisations import grants
from roadshow.scheduling import (
    availability_and_attendance,
    calendar_entries,
    feeds,
    pitch_sessions,
    placement,
    queries,
    todos,
)
from roadshow.scheduling.models import RsvpStatus, SessionStatus, SlotKind
from tests.many_events_fixtures import event_url
from tests.scheduling.conftest import DAY1

pytestmark = pytest.mark.no_default_organisation


def finalist(event: Any, user: Any, title: str) -> Application:
    application = Application(event_id=event.id, applicant_id=user.id, title_en=title,
                              title_zh=f"{title}项目", status=ApplicationStatus.FINALIST)
    db.session.add(application)
    db.session.commit()
    return application


def session_of(event: Any, organizer: Any, title: str, *, day: date = DAY1, start: str = "08:00",
               end: str = "10:00", breaks: str = "", districts: list[Any] | None = None) -> Any:
    data = pitch_sessions.SessionData(
        title_zh=f"{title}场", title_en=title, day=day, start=time.fromisoformat(start),
        end=time.fromisoformat(end), join_url="https://meeting.example.org/j/1",
        breaks=pitch_sessions.parse_breaks(breaks), district_ids=[d.id for d in districts or []])
    saved = pitch_sessions.save_session(db.session, organizer, event, data)
    db.session.commit()
    return saved


def place_and_publish(event: Any, organizer: Any, pitch_session: Any, application: Any) -> None:
    slot = next(s for s in pitch_session.slots if s.kind == SlotKind.PITCH)
    placement.place(db.session, organizer, slot, application)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()


@pytest.fixture
def world(make_user, make_organisation, make_event, grant) -> dict[str, Any]:
    """Office A with events A1 (roadshow days) and A2 (call open), office B with B1; Dana
    pitches in A1 and in B1 at the same hour; Jun judges A1 and B1."""
    people = {key: make_user(role, name=name) for key, name, role in (
        ("organizer-a", "Office A organizer", Role.ORGANIZER),
        ("organizer-b", "Office B organizer", Role.ORGANIZER), ("jun", "Jun Judge", Role.JUDGE),
        ("dana", "Dana Whitfield", Role.APPLICANT), ("eli", "Eli Okonkwo", Role.APPLICANT))}
    office_a = make_organisation(organizers=(people["organizer-a"],))
    office_b = make_organisation(organizers=(people["organizer-b"],))
    a1 = make_event(office_a, phase="roadshow", slug="office-a-2026", title_en="A roadshow 2026")
    a2 = make_event(office_a, phase="call", slug="office-a-2027", title_en="A roadshow 2027")
    b1 = make_event(office_b, phase="roadshow", slug="office-b-2026", title_en="B roadshow 2026")
    for event in (a1, b1):
        grant(people["jun"], event, Role.JUDGE)
    return {**people, "a1": a1, "a2": a2, "b1": b1}


def test_two_events_of_one_office_keep_their_own_programme_editor_and_public_feed(world, login_as):
    a1, a2, organizer = world["a1"], world["a2"], world["organizer-a"]
    morning = session_of(a1, organizer, "A1 morning")
    later = session_of(a2, organizer, "A2 morning")  # the same hour, another event
    assert morning.starts_at == later.starts_at
    place_and_publish(a1, organizer, morning, finalist(a1, world["dana"], "Batteries"))
    finalist(a2, world["eli"], "Sensors")
    client, _ = login_as(organizer)
    editor = client.get(event_url(a1, "/schedule/manage")).get_data(as_text=True)
    assert "A1 morning" in editor
    assert "A2 morning" not in editor
    assert "Eli Okonkwo" not in editor  # A2's finalist is not A1's to place
    assert "Eli Okonkwo" in client.get(event_url(a2, "/schedule/manage")).get_data(as_text=True)
    # a session or slot of one event is not found under the other's address
    slot = next(s for s in morning.slots if s.kind == SlotKind.PITCH)
    assert client.get(event_url(a2, f"/schedule/slots/{slot.id}.ics")).status_code == 404
    assert client.post(event_url(a2, f"/schedule/manage/sessions/{morning.id}/delete")).status_code == 404
    assert client.post(event_url(a2, f"/schedule/manage/slots/{slot.id}/pin"),
                       data={"pinned": "1"}).status_code == 404
    public = Calendar.from_ical(client.get(event_url(a1, "/schedule.ics")).data)
    summaries = " | ".join(str(e["SUMMARY"]) for e in public.events)
    assert "A roadshow 2026: A1 morning" in summaries
    assert "A2 morning" not in summaries
    # A2's draft programme is nobody's public business
    assert Calendar.from_ical(client.get(event_url(a2, "/schedule.ics")).data).events == []
    proposal = client.post(event_url(a2, "/schedule/manage/propose"), follow_redirects=True)
    assert proposal.status_code == 200
    db.session.expire_all()
    assert queries.slot_of_application(db.session, queries.finalists(db.session, a1)[0]).session_id == morning.id


def test_another_offices_organizer_cannot_open_or_change_the_schedule(world, login_as):
    a1 = world["a1"]
    morning = session_of(a1, world["organizer-a"], "A1 morning")
    client, _ = login_as(world["organizer-b"])
    assert client.get(event_url(a1, "/schedule/manage")).status_code == 403
    assert client.post(event_url(a1, "/schedule/manage/publish")).status_code == 403
    assert client.post(event_url(a1, f"/schedule/manage/sessions/{morning.id}/delete")).status_code == 403
    db.session.expire_all()
    assert queries.sessions_of(db.session, a1)[0].status == SessionStatus.DRAFT


def test_the_personal_feed_holds_entries_of_every_event_of_the_user(world, client, login_as):
    a1, b1 = world["a1"], world["b1"]
    dana, jun = world["dana"], world["jun"]
    in_a = session_of(a1, world["organizer-a"], "A1 morning")
    in_b = session_of(b1, world["organizer-b"], "B1 morning")
    pitch_a, pitch_b = finalist(a1, dana, "Batteries"), finalist(b1, dana, "Batteries again")
    place_and_publish(a1, world["organizer-a"], in_a, pitch_a)
    place_and_publish(b1, world["organizer-b"], in_b, pitch_b)
    availability_and_attendance.set_attendance(db.session, jun, a1, [in_a.id])
    availability_and_attendance.set_attendance(db.session, jun, b1, [in_b.id])
    db.session.commit()
    token = feeds.feed_token(db.session, dana).token
    db.session.commit()
    response = client.get(f"/schedule/feed/{token}.ics")
    assert response.status_code == 200
    cal = Calendar.from_ical(response.data)
    assert {str(e["UID"]) for e in cal.events} == {calendar_entries.pitch_uid(pitch_a.id, a1),
                                                   calendar_entries.pitch_uid(pitch_b.id, b1)}
    assert str(cal["X-WR-CALNAME"]) == "Roadshow · Dana Whitfield"  # several events: named after no one of them
    judge_uids = {str(e["UID"]) for e in Calendar.from_ical(feeds.personal_feed(db.session, jun)).events}
    assert judge_uids == {calendar_entries.session_uid(in_a), calendar_entries.session_uid(in_b)}
    # nobody else's entries: the other office's organizer holds only B1's session
    other = {str(e["UID"]) for e in Calendar.from_ical(
        feeds.personal_feed(db.session, world["organizer-b"])).events}
    assert other == {calendar_entries.session_uid(in_b)}
    # the subscription page lists both events' public programmes
    page, _ = login_as(dana)
    html = page.get("/schedule/feed").get_data(as_text=True)
    assert f"/schedule/feed/{token}.ics" in html
    assert "/e/office-a-2026/schedule.ics" in html
    assert "/e/office-b-2026/schedule.ics" in html


def test_answering_an_invitation_of_one_event_under_another_is_refused(world, login_as):
    a1, a2, dana = world["a1"], world["a2"], world["dana"]
    morning = session_of(a1, world["organizer-a"], "A1 morning")
    application = finalist(a1, dana, "Batteries")
    place_and_publish(a1, world["organizer-a"], morning, application)
    uid = calendar_entries.pitch_uid(application.id, a1)
    client, _ = login_as(dana)
    client.post(event_url(a2, "/schedule/rsvp"), data={"uid": uid, "status": "accepted"})
    assert feeds.my_rsvps(db.session, dana, a1) == {}
    client.post(event_url(a1, "/schedule/rsvp"), data={"uid": uid, "status": "accepted"})
    assert feeds.my_rsvps(db.session, dana, a1)[uid].status == RsvpStatus.ACCEPTED


def test_a_copied_event_takes_the_session_layout_empty_and_at_the_same_local_times(world):
    a1, organizer = world["a1"], world["organizer-a"]
    gulou = District(code="gulou", name_zh="鼓楼区", name_en="Gulou District",
                     organisation_id=a1.organisation_id)
    db.session.add(gulou)
    db.session.flush()
    a1.districts = [gulou]
    db.session.commit()
    morning = session_of(a1, organizer, "A1 morning", start="08:00", end="11:00",
                         breaks="09:30-09:45", districts=[gulou])
    place_and_publish(a1, organizer, morning, finalist(a1, world["dana"], "Batteries"))
    availability_and_attendance.set_attendance(db.session, world["jun"], a1, [morning.id])
    db.session.commit()
    result = copy_event(db.session, organizer, a1, CopyData(
        title_zh="下一届", title_en="Next year", slug="office-a-next", kind="roadshow",
        main_day=DAY1 + timedelta(days=364), timezone="Europe/Berlin"))
    db.session.commit()
    copy = result.event
    [copied] = queries.sessions_of(db.session, copy)
    assert copied.status == SessionStatus.DRAFT
    assert copied.attendances == []
    assert copied.uid != morning.uid
    assert all(slot.application_id is None for slot in copied.slots)
    kinds = [slot.kind for slot in copied.slots]
    assert kinds.count(SlotKind.DISTRICT) == 1
    assert kinds.count(SlotKind.BREAK) == 1
    assert len(copied.slots) == len(morning.slots)
    source_zone, target_zone = ZoneInfo(a1.timezone), ZoneInfo("Europe/Berlin")
    for old, new in zip(morning.slots, copied.slots, strict=True):
        before, after = old.starts_at.astimezone(source_zone), new.starts_at.astimezone(target_zone)
        assert after.time() == before.time()  # the same wall clock, in the new event's zone
        assert after.date() == before.date() + timedelta(days=result.shift.days)
        assert new.kind == old.kind
        assert new.district_id == old.district_id


def test_the_dashboard_todos_say_what_the_schedule_asks_in_each_event(world):
    a1, b1, dana, jun = world["a1"], world["b1"], world["dana"], world["jun"]
    in_a = session_of(a1, world["organizer-a"], "A1 morning")
    session_of(b1, world["organizer-b"], "B1 morning")
    pitch_a = finalist(a1, dana, "Batteries")
    finalist(b1, dana, "Batteries again")  # a finalist of B1 without a pitch time yet
    place_and_publish(a1, world["organizer-a"], in_a, pitch_a)
    availability_and_attendance.set_attendance(db.session, jun, a1, [in_a.id])
    db.session.commit()

    def kinds(user: Any) -> dict[int, list[str]]:
        mine = {event.id: grants.in_event(db.session, user, event) for event in (a1, b1)}
        return {event_id: [t.kind for t in items]
                for event_id, items in todos.todos(db.session, user, mine).items()}

    assert kinds(dana) == {a1.id: ["pitch", "pitch_rsvp"], b1.id: ["availability"]}
    feeds.set_rsvp(db.session, dana, a1, calendar_entries.pitch_uid(pitch_a.id, a1), RsvpStatus.ACCEPTED)
    db.session.commit()
    assert kinds(dana) == {a1.id: ["pitch"], b1.id: ["availability"]}
    assert kinds(jun) == {a1.id: ["session_rsvps"]}
    # B1's organizer has a finalist to place; A1's are all placed
    assert kinds(world["organizer-b"]) == {b1.id: ["finalists_to_place"]}
    assert kinds(world["organizer-a"]) == {}


def test_a_finalist_answers_their_pitch_time_on_the_dashboard_card(world, login_as):
    a1, dana = world["a1"], world["dana"]
    in_a = session_of(a1, world["organizer-a"], "A1 morning")
    pitch = finalist(a1, dana, "Batteries")
    place_and_publish(a1, world["organizer-a"], in_a, pitch)
    client, _ = login_as(dana)
    card = client.get("/dashboard").get_data(as_text=True)
    assert "Will you pitch at this time?" in card
    assert f'action="{event_url(a1, "/schedule/rsvp")}"' in card  # the event of the card
    uid = calendar_entries.pitch_uid(pitch.id, a1)
    response = client.post(event_url(a1, "/schedule/rsvp"),
                           data={"uid": uid, "status": "accepted", "back": "dashboard"})
    assert response.headers["Location"] == "/dashboard"  # back where the answer was given
    assert "Will you pitch at this time?" not in client.get("/dashboard").get_data(as_text=True)
    assert client.post(event_url(a1, "/schedule/rsvp"), data={"uid": uid, "status": "declined"}
                       ).headers["Location"].endswith("/schedule/#mine")  # from the programme
