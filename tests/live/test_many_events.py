"""Live rooms of many events side by side (issue 13): two events of one office hold sessions at
the same time, each room with its own audience; nobody of another office gets into a room; an
archived event's room can be read but nothing can be done in it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.extensions import db
from roadshow.live import membership
from roadshow.live.models import DockingKind, DockingRequest
from roadshow.organisations import grants
from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind
from tests.live.conftest import NS, act, events_of, hello
from tests.many_events_fixtures import event_url

pytestmark = pytest.mark.no_default_organisation


def published_session(event: Any, presenter: Any, title: str, starts_at: Any) -> PitchSession:
    """A published session of ``event`` in which ``presenter``'s finalist project pitches."""
    application = Application(event_id=event.id, applicant_id=presenter.id,
                              status=ApplicationStatus.FINALIST, title_en=f"{title} project",
                              title_zh=f"{title}项目")
    session = PitchSession(event_id=event.id, title_en=title, title_zh=title,
                           starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
                           status=SessionStatus.PUBLISHED)
    db.session.add_all([application, session])
    db.session.flush()
    db.session.add(Slot(session_id=session.id, kind=SlotKind.PITCH, application_id=application.id,
                        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=20)))
    db.session.commit()
    return session


@pytest.fixture
def offices(make_user, make_organisation, make_event, grant) -> dict[str, Any]:
    """Office A with two events in different phases (A1 at its roadshow days, A2 with its call
    open) whose sessions run at the same time; office B with its own event B1."""
    people = {name: make_user(role, name=name) for name, role in (
        ("organizer-a", Role.ORGANIZER), ("organizer-b", Role.ORGANIZER),
        ("judge-a1", Role.JUDGE), ("judge-a2", Role.JUDGE), ("judge-b1", Role.JUDGE),
        ("presenter-a1", Role.APPLICANT), ("presenter-a2", Role.APPLICANT),
        ("presenter-b1", Role.APPLICANT))}
    office_a = make_organisation(organizers=(people["organizer-a"],))
    office_b = make_organisation(organizers=(people["organizer-b"],))
    a1 = make_event(office_a, phase="roadshow", slug="office-a-2026")
    a2 = make_event(office_a, phase="call", slug="office-a-2027")
    b1 = make_event(office_b, phase="roadshow", slug="office-b-2026")
    grant(people["judge-a1"], a1, Role.JUDGE)
    grant(people["judge-a2"], a2, Role.JUDGE)
    grant(people["judge-b1"], b1, Role.JUDGE)
    starts_at = (utcnow() + timedelta(hours=1)).replace(microsecond=0)
    return {**people, "a1": a1, "a2": a2, "b1": b1,
            "session-a1": published_session(a1, people["presenter-a1"], "A1 morning", starts_at),
            "session-a2": published_session(a2, people["presenter-a2"], "A2 morning", starts_at),
            "session-b1": published_session(b1, people["presenter-b1"], "B1 morning", starts_at)}


def test_two_events_sessions_at_the_same_time_each_room_with_its_own_audience(offices, connect):
    a1_room, a2_room = offices["session-a1"], offices["session-a2"]
    assert a1_room.starts_at == a2_room.starts_at
    judge_a1 = connect(offices["judge-a1"], a1_room)
    judge_a2 = connect(offices["judge-a2"], a2_room)
    assert judge_a1.is_connected(NS)
    assert judge_a2.is_connected(NS)
    # each judge is of one event's panel only
    assert not connect(offices["judge-a1"], a2_room).is_connected(NS)
    assert not connect(offices["judge-a2"], a1_room).is_connected(NS)
    # the office's organizer hosts both rooms at once
    host_a1 = connect(offices["organizer-a"], a1_room)
    host_a2 = connect(offices["organizer-a"], a2_room)
    assert hello(host_a1)["you"]["role"] == hello(host_a2)["you"]["role"] == "host"
    assert act(host_a1, "stage", command="open", action_id="open-a1")["ok"]
    assert act(judge_a1, "chat", text="A question for A1", action_id="chat-a1")["ok"]
    assert [e["data"]["message"]["text"] for e in events_of(host_a1, "chat")] == ["A question for A1"]
    assert events_of(judge_a2) == []
    assert events_of(host_a2) == []
    # the other room is still waiting: what happened in A1 is not in A2's snapshot
    a2_snapshot = hello(judge_a2)
    assert a2_snapshot["chat"] == []
    assert not a2_snapshot["stage"]["opened"]
    assert [row["title"] for row in a2_snapshot["program"]] == ["A2 morning project"]


def test_a_room_page_answers_only_its_own_audience_and_only_under_its_own_event(offices, login_as):
    a1, a2 = offices["a1"], offices["a2"]
    a1_room, a2_room = offices["session-a1"], offices["session-a2"]
    judge, _ = login_as(offices["judge-a1"])
    assert judge.get(event_url(a1, f"/live/{a1_room.id}")).status_code == 200
    assert judge.get(event_url(a2, f"/live/{a2_room.id}")).status_code == 403
    # a session named under another event's address does not exist there
    assert judge.get(event_url(a2, f"/live/{a1_room.id}")).status_code == 404
    listing = judge.get("/live/").get_data(as_text=True)
    assert event_url(a1, f"/live/{a1_room.id}") in listing
    assert f"/live/{a2_room.id}" not in listing
    for event, session in ((a1, a1_room), (a2, a2_room)):
        organizer_grant = grants.in_event(db.session, offices["organizer-a"], event)
        assert membership.sessions_for(db.session, offices["organizer-a"], organizer_grant,
                                       event) == [session]
    outsider_grant = grants.in_event(db.session, offices["judge-b1"], a1)
    assert membership.sessions_for(db.session, offices["judge-b1"], outsider_grant, a1) == []
    organizer, _ = login_as(offices["organizer-a"])
    both = organizer.get("/live/").get_data(as_text=True)
    assert event_url(a1, f"/live/{a1_room.id}") in both
    assert event_url(a2, f"/live/{a2_room.id}") in both
    assert f"/live/{offices['session-b1'].id}" not in both


@pytest.mark.parametrize("outsider", ["organizer-b", "judge-b1", "presenter-b1"])
def test_a_socket_connection_to_a_room_of_another_offices_event_is_refused(offices, connect,
                                                                           outsider):
    assert connect(offices[outsider], offices["session-b1"]).is_connected(NS)
    assert not connect(offices[outsider], offices["session-a1"]).is_connected(NS)


def test_the_room_and_docking_of_another_offices_event_stay_closed_to_its_organizer(offices,
                                                                                    login_as):
    a1, a1_room = offices["a1"], offices["session-a1"]
    district = District(code="gulou", name_zh="鼓楼区", name_en="Gulou District",
                        organisation_id=a1.organisation_id)
    db.session.add(district)
    db.session.flush()
    db.session.add(DockingRequest(event_id=a1.id, application_id=a1_room.slots[0].application_id,
                                  district_id=district.id, kind=DockingKind.TALK,
                                  note="LEAK-A1 factory visit"))
    db.session.commit()
    own, _ = login_as(offices["organizer-a"])
    assert "LEAK-A1 factory visit" in own.get(event_url(a1, "/live/docking")).get_data(as_text=True)
    client, _ = login_as(offices["organizer-b"])
    assert client.get(event_url(a1, f"/live/{a1_room.id}")).status_code == 403
    assert client.get(event_url(offices["b1"], f"/live/{a1_room.id}")).status_code == 404
    # in office A's event they are nobody's staff: the board shows them only their own projects
    assert "LEAK-A1" not in client.get(event_url(a1, "/live/docking")).get_data(as_text=True)
    assert "LEAK-A1" not in client.get("/live/").get_data(as_text=True)


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_an_archived_events_room_is_read_but_every_action_is_refused(offices, connect, locale):
    a1, a1_room = offices["a1"], offices["session-a1"]
    host = connect(offices["organizer-a"], a1_room)
    assert act(host, "stage", command="open", action_id="open")["ok"]
    assert act(host, "chat", text="Before the archive", action_id="before")["ok"]
    a1.archived_at = utcnow()
    offices["judge-a1"].locale = locale
    db.session.commit()
    judge = connect(offices["judge-a1"], a1_room)
    assert judge.is_connected(NS)
    snapshot = hello(judge)
    assert [m["text"] for m in snapshot["chat"]] == ["Before the archive"]
    answer = act(judge, "chat", text="After the archive", action_id="after")
    assert answer["ok"] is False
    assert answer["error"] == "archived"
    assert answer["message"] == {"en": "This event is archived and can no longer be changed.",
                                 "zh_Hans_CN": "本活动已归档，不能再修改。"}[locale]
    archived_host = connect(offices["organizer-a"], a1_room)
    assert act(archived_host, "stage", command="next", action_id="next")["error"] == "archived"
    assert grants.in_event(db.session, offices["judge-a1"], a1).read_only
