"""The /live namespace, through the Socket.IO test client logged in over HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.extensions import db, socketio
from roadshow.live.models import ChatMessage, DockingRequest, LiveQuestion, LiveRoom
from roadshow.review.models import (
    LIVE,
    Conflict,
    ConflictSource,
    DistrictInterest,
    InterestLevel,
    Review,
)
from tests.live.conftest import NS, act, events_of, hello


def open_pitch(host, index=1):
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=index)["ok"]


# --- who may connect ----------------------------------------------------------------------

def test_anonymous_connection_is_refused(app, roadshow):
    sock = socketio.test_client(app, namespace=NS, flask_test_client=app.test_client(),
                                auth={"session_id": roadshow.session.id})
    assert not sock.is_connected(NS)


def test_cross_origin_connection_is_refused_and_same_origin_accepted(roadshow, connect):
    foreign = connect(roadshow.judge, roadshow.session, headers={"Origin": "https://evil.example"})
    assert not foreign.is_connected(NS)
    own = connect(roadshow.judge, roadshow.session, headers={"Origin": "http://localhost"})
    assert own.is_connected(NS)


def test_applicant_outside_the_session_is_refused(roadshow, connect):
    assert not connect(roadshow.outsider, roadshow.session).is_connected(NS)
    assert connect(roadshow.presenters[0], roadshow.session).is_connected(NS)


def test_unknown_session_is_refused(roadshow, connect):
    roadshow.session.id = roadshow.session.id  # a real one works ...
    assert connect(roadshow.judge, roadshow.session).is_connected(NS)
    ghost = type("Ghost", (), {"id": 999_999})()
    assert not connect(roadshow.judge, ghost).is_connected(NS)


def test_signing_out_closes_open_live_connections(app, roadshow, login_as):
    client, _ = login_as(roadshow.judge)
    sock = socketio.test_client(app, namespace=NS, flask_test_client=client,
                                auth={"session_id": roadshow.session.id})
    assert sock.is_connected(NS)
    client.post("/logout")
    assert not sock.is_connected(NS)


# --- roles ----------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["judge", "recruiter", "presenter"])
def test_only_the_host_moves_the_stage(roadshow, connect, who):
    user = roadshow.presenters[0] if who == "presenter" else getattr(roadshow, who)
    sock = connect(user, roadshow.session)
    answer = act(sock, "stage", command="open")
    assert answer == {"ok": False, "error": "not_host", "message": "Only the host can do that."}
    host = connect(roadshow.organizer, roadshow.session)
    assert act(host, "stage", command="open")["ok"]


def test_refusals_speak_the_users_language(roadshow, connect, db):
    roadshow.judge.locale = "zh_Hans_CN"
    db.session.commit()
    sock = connect(roadshow.judge, roadshow.session)
    answer = act(sock, "stage", command="open")
    assert answer["error"] == "not_host"
    assert answer["message"] == "只有主持人可以这样做。"


def test_stage_changes_reach_everyone_with_the_timer_as_a_deadline(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    viewer = connect(roadshow.recruiter, roadshow.session)
    open_pitch(host)
    assert act(host, "stage", command="start")["ok"]
    stages = events_of(viewer, "stage")
    assert [e["data"]["command"] for e in stages] == ["open", "call", "start"]
    timer = stages[-1]["data"]["stage"]["timer"]
    assert timer["running"]
    assert timer["deadline"].endswith("Z")
    assert [e["seq"] for e in stages] == sorted(e["seq"] for e in stages)


def test_only_the_presenter_on_stage_turns_the_slides(roadshow, connect, db):
    from roadshow.applications.models import Deck

    db.session.add(Deck(application_id=roadshow.applications[0].id, original_name="deck.pdf",
                        stored_name="x.pdf", content_type="application/pdf", size_bytes=10,
                        sha256="ab" * 32, page_count=4))
    db.session.commit()
    host = connect(roadshow.organizer, roadshow.session)
    on_stage = connect(roadshow.presenters[0], roadshow.session)
    waiting = connect(roadshow.presenters[1], roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    open_pitch(host, index=1)
    assert act(on_stage, "page", page=3)["ok"]
    assert act(waiting, "page", page=2)["error"] == "not_presenter"
    assert act(judge, "page", page=2)["error"] == "not_presenter"
    assert act(on_stage, "page", page=5)["error"] == "no_such_page"
    pages = events_of(judge, "page")
    assert [e["data"]["page"] for e in pages] == [3]


def test_a_retried_stage_action_is_applied_once(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    act(host, "stage", command="open")
    first = act(host, "stage", command="next", action_id="next-1")
    again = act(host, "stage", command="next", action_id="next-1")
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    assert hello(host)["stage"]["current"] == 0


# --- questions and votes --------------------------------------------------------------------

def test_questions_wait_for_approval_then_everyone_sees_them(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    asker = connect(roadshow.judge, roadshow.session)
    other = connect(roadshow.recruiter, roadshow.session)
    open_pitch(host)
    events_of(other)
    assert act(asker, "ask", text="How big is the battery?")["ok"]
    assert events_of(other, "question") == []
    pending = events_of(host, "question")[0]["data"]["question"]
    assert pending["status"] == "pending"
    assert pending["application_id"] == roadshow.applications[0].id
    assert hello(other)["questions"] == []
    assert act(other, "moderate", question_id=pending["id"], status="approved")["error"] == "not_host"
    assert act(host, "moderate", question_id=pending["id"], status="approved")["ok"]
    shown = events_of(other, "question")
    assert shown[0]["data"]["question"]["status"] == "approved"


def test_one_vote_per_person_under_retries_and_it_can_be_taken_back(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    asker = connect(roadshow.judge, roadshow.session)
    voter = connect(roadshow.recruiter, roadshow.session)
    open_pitch(host)
    act(asker, "ask", text="What is the unit cost?")
    question = db.session.scalars(select(LiveQuestion)).one()
    act(host, "moderate", question_id=question.id, status="approved")
    answers = [act(voter, "vote", question_id=question.id, up=True, action_id="v1") for _ in range(3)]
    assert answers[0]["votes"] == 1
    assert answers[0]["voted"] is True
    assert all(a["ok"] for a in answers)
    assert answers[1]["duplicate"]
    # a fresh action id voting the same way again still counts once
    assert act(voter, "vote", question_id=question.id, up=True, action_id="v2")["votes"] == 1
    assert act(asker, "vote", question_id=question.id, up=True)["votes"] == 2
    assert act(voter, "vote", question_id=question.id, up=False)["votes"] == 1
    db.session.expire_all()
    assert db.session.get(LiveQuestion, question.id).votes == 1
    assert hello(asker)["my_votes"] == [question.id]
    assert hello(voter)["my_votes"] == []


def test_pending_questions_cannot_be_voted_on(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    asker = connect(roadshow.judge, roadshow.session)
    open_pitch(host)
    act(asker, "ask", text="Pending?")
    question = db.session.scalars(select(LiveQuestion)).one()
    assert act(asker, "vote", question_id=question.id)["error"] == "question_not_open"


# --- chat -----------------------------------------------------------------------------------

def test_chat_is_plain_text_bounded_and_rate_limited(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    talker = connect(roadshow.recruiter, roadshow.session)
    listener = connect(roadshow.judge, roadshow.session)
    open_pitch(host)
    events_of(listener)
    assert act(talker, "chat", text="<script>alert(1)</script> hello")["ok"]
    received = events_of(listener, "chat")[0]["data"]["message"]
    assert received["text"] == "<script>alert(1)</script> hello"
    assert act(talker, "chat", text="x" * 501)["error"] == "text_too_long"
    answers = [act(talker, "chat", text=f"message {i}") for i in range(8)]
    assert any(a.get("error") == "rate_limited" for a in answers)


def test_host_deletes_messages_and_mutes_participants(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    talker = connect(roadshow.recruiter, roadshow.session)
    listener = connect(roadshow.judge, roadshow.session)
    open_pitch(host)
    act(talker, "chat", text="spam")
    message = db.session.scalars(select(ChatMessage)).one()
    assert act(listener, "delete_chat", message_id=message.id)["error"] == "not_host"
    assert act(host, "delete_chat", message_id=message.id)["ok"]
    assert events_of(listener, "chat_deleted")[0]["data"] == {"id": message.id}
    assert hello(listener)["chat"] == []
    assert act(host, "mute", user_id=roadshow.recruiter.id, muted=True)["ok"]
    assert act(talker, "chat", text="still here")["error"] == "muted"
    assert hello(talker)["you"]["muted"] is True
    assert act(host, "mute", user_id=roadshow.recruiter.id, muted=False)["ok"]
    assert act(talker, "chat", text="back")["ok"]


# --- live scoring ---------------------------------------------------------------------------

def score(judge_sock, innovation=8, market=6):
    return act(judge_sock, "score", scores={"innovation": innovation, "market": market})


def criterion_scores(roadshow, innovation=8, market=6):
    first, second = roadshow.criteria
    return {str(first.id): innovation, str(second.id): market}


def test_scores_stay_hidden_until_the_host_reveals_them(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    viewer = connect(roadshow.recruiter, roadshow.session)
    presenter = connect(roadshow.presenters[0], roadshow.session)
    open_pitch(host)
    assert act(judge, "score", scores=criterion_scores(roadshow))["error"] == "scoring_closed"
    act(host, "stage", command="scoring")
    events_of(viewer), events_of(presenter)
    assert act(judge, "score", scores=criterion_scores(roadshow, 8, 6), comment="Solid")["ok"]
    assert events_of(viewer, "scored") == []
    assert events_of(presenter, "scored") == []
    assert events_of(host, "scored")[0]["data"]["count"] == 1
    assert hello(viewer)["results"] == {}
    review = db.session.scalars(select(Review).where(Review.round == LIVE)).one()
    assert review.judge_id == roadshow.judge.id
    assert review.total is not None
    slot_id = hello(host)["stage"]["items"][1]["slot_id"]
    assert act(judge, "stage", command="reveal", slot_id=slot_id)["error"] == "not_host"
    assert act(host, "stage", command="reveal", slot_id=slot_id)["ok"]
    revealed = events_of(viewer, "stage")[-1]["data"]["results"][str(slot_id)]
    assert revealed["count"] == 1
    assert revealed["mean"] == round(review.total, 1)
    assert hello(presenter)["results"][str(slot_id)]["count"] == 1


def test_conflicted_judges_cannot_score(roadshow, connect, db):
    db.session.add(Conflict(event_id=roadshow.event.id, judge_id=roadshow.judge.id,
                            application_id=roadshow.applications[0].id,
                            source=ConflictSource.DECLARED, reason="co-author"))
    db.session.commit()
    host = connect(roadshow.organizer, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    open_pitch(host)
    act(host, "stage", command="scoring")
    assert act(judge, "score", scores=criterion_scores(roadshow))["error"] == "conflicted"
    assert hello(judge)["conflicted"] is True
    assert db.session.scalars(select(Review)).all() == []


def test_only_judges_score_and_only_on_the_scale(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    recruiter = connect(roadshow.recruiter, roadshow.session)
    open_pitch(host)
    act(host, "stage", command="scoring")
    assert act(recruiter, "score", scores=criterion_scores(roadshow))["error"] == "not_judge"
    assert act(judge, "score", scores=criterion_scores(roadshow, 11, 5))["error"] == "bad_scores"
    assert act(judge, "score", scores={str(roadshow.criteria[0].id): 5})["error"] == "bad_scores"


# --- district docking -----------------------------------------------------------------------

def test_district_asks_for_a_follow_up_talk_and_applicant_and_organizer_hear_at_once(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    district = connect(roadshow.recruiter, roadshow.session)
    presenter = connect(roadshow.presenters[0], roadshow.session)
    other_presenter = connect(roadshow.presenters[1], roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    open_pitch(host)
    for sock in (presenter, other_presenter, judge):
        events_of(sock)
    assert act(judge, "dock", kind="talk")["error"] == "not_district"
    assert act(district, "dock", kind="talk", note="Meet our park manager")["ok"]
    told = events_of(presenter, "docking")[0]["data"]["request"]
    assert told["kind"] == "talk"
    assert told["district"] == "Gulou District"
    assert events_of(host, "docking")
    assert events_of(other_presenter, "docking") == []
    assert events_of(judge, "docking") == []
    request = db.session.scalars(select(DockingRequest)).one()
    assert request.application_id == roadshow.applications[0].id
    assert request.note == "Meet our park manager"
    interest = db.session.scalars(select(DistrictInterest)).one()
    assert interest.level == InterestLevel.STRONG


def evening_session_of_a_third_finalist(roadshow, make_user):
    """Session B: its own finalist, none of session A's projects."""
    from datetime import timedelta

    from roadshow.applications.models import Application, ApplicationStatus
    from tests.live.conftest import START

    presenter = make_user("applicant", name="Presenter 3")
    application = Application(event_id=roadshow.event.id, applicant_id=presenter.id,
                              status=ApplicationStatus.FINALIST,
                              title_en="Hydrogen logistics", title_zh="氢能物流")
    db.session.add(application)
    db.session.flush()
    session = roadshow.make_session("Evening pitches", START + timedelta(hours=9), [application])
    db.session.commit()
    return session, presenter, application


def docked_projects(sock):
    return [d["project"] for d in hello(sock)["docking"]]


def test_a_request_made_in_one_rooms_panel_stays_out_of_another_sessions_room(roadshow, connect, make_user):
    evening, _presenter, _application = evening_session_of_a_third_finalist(roadshow, make_user)
    host_a = connect(roadshow.organizer, roadshow.session)
    district_a = connect(roadshow.recruiter, roadshow.session)
    host_b = connect(roadshow.organizer, evening)
    district_b = connect(roadshow.recruiter, evening)
    open_pitch(host_a)
    events_of(host_b), events_of(district_b)
    assert act(district_a, "dock", kind="talk", note="Meet our park manager")["ok"]
    assert events_of(host_a, "docking")
    assert events_of(host_b, "docking") == []
    assert events_of(district_b, "docking") == []
    assert docked_projects(host_a) == ["Low-power IoT 1"]
    assert docked_projects(district_a) == ["Low-power IoT 1"]
    assert docked_projects(host_b) == []
    assert docked_projects(district_b) == []

    open_pitch(host_b)
    assert act(district_b, "dock", kind="interest")["ok"]
    assert docked_projects(host_b) == ["Hydrogen logistics"]
    assert docked_projects(district_b) == ["Hydrogen logistics"]
    assert docked_projects(host_a) == ["Low-power IoT 1"]
    assert len(db.session.scalars(select(DockingRequest)).all()) == 2  # the board keeps both


def test_a_rooms_docking_panel_keeps_who_may_see_which_request(roadshow, connect, make_user, make_district):
    host = connect(roadshow.organizer, roadshow.session)
    gulou = connect(roadshow.recruiter, roadshow.session)
    open_pitch(host)
    assert act(gulou, "dock", kind="talk")["ok"]
    pei = make_district(code="pei", name_en="Pei County")
    other_district = connect(make_user("recruiter", district=pei), roadshow.session)
    without_district = connect(make_user("recruiter"), roadshow.session)
    assert docked_projects(host) == ["Low-power IoT 1"]
    assert docked_projects(gulou) == ["Low-power IoT 1"]
    assert docked_projects(connect(roadshow.presenters[0], roadshow.session)) == ["Low-power IoT 1"]
    assert docked_projects(connect(roadshow.presenters[1], roadshow.session)) == []
    assert docked_projects(other_district) == []
    assert "docking" not in hello(without_district)
    assert "docking" not in hello(connect(roadshow.judge, roadshow.session))


# --- recovery and isolation -------------------------------------------------------------------

def test_reconnecting_client_gets_a_full_snapshot_then_only_newer_events(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    open_pitch(host)
    act(host, "stage", command="start")
    act(judge, "chat", text="first")
    before = hello(judge)
    judge.disconnect(NS)
    act(host, "stage", command="pause")
    act(host, "chat", text="while you were away")
    again = connect(roadshow.judge, roadshow.session)
    snapshot = hello(again)
    assert snapshot["seq"] > before["seq"]
    assert snapshot["stage"]["timer"]["running"] is False
    assert [m["text"] for m in snapshot["chat"]] == ["first", "while you were away"]
    act(host, "stage", command="qa")
    newer = events_of(again)
    assert newer
    assert all(e["seq"] > snapshot["seq"] for e in newer)
    room = db.session.scalars(select(LiveRoom)).one()
    db.session.refresh(room)
    assert room.seq == newer[-1]["seq"]


def test_a_second_room_receives_nothing_of_the_first(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    here = connect(roadshow.judge, roadshow.session)
    elsewhere = connect(roadshow.recruiter, roadshow.other_session)
    elsewhere_host = connect(roadshow.organizer, roadshow.other_session)
    elsewhere.get_received(NS), elsewhere_host.get_received(NS)
    open_pitch(host)
    act(here, "chat", text="only here")
    act(here, "ask", text="only here?")
    assert events_of(here, "chat")
    assert events_of(elsewhere) == []
    assert events_of(elsewhere_host) == []
    assert hello(elsewhere)["stage"]["opened"] is False


def test_presence_counts_roles_and_names_judges_and_districts(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    connect(roadshow.judge, roadshow.session)
    connect(roadshow.recruiter, roadshow.session)
    connect(roadshow.presenters[0], roadshow.session)
    presence = hello(host)["presence"]
    assert presence["counts"] == {"host": 1, "judge": 1, "district": 1, "presenter": 1, "viewer": 0}
    assert presence["total"] == 4
    assert [n["name_en"] for n in presence["names"]["judge"]] == [roadshow.judge.name]
    assert presence["names"]["district"][0]["district_en"] == "Gulou District"


def test_presence_names_people_and_districts_in_both_languages_for_the_whole_room(roadshow, connect, db):
    """One presence payload goes to everyone in the room, so it cannot be in one reader's
    language: it carries both, and each page shows its own (whoever's language built it)."""
    roadshow.organizer.locale = "zh_Hans_CN"
    roadshow.judge.name_native = "张磊"
    db.session.commit()
    host = connect(roadshow.organizer, roadshow.session)
    connect(roadshow.judge, roadshow.session)
    connect(roadshow.recruiter, roadshow.session)
    broadcast = [p["args"][0] for p in host.get_received(NS) if p["name"] == "presence"][-1]
    snapshot = hello(host)["presence"]
    for presence in (broadcast, snapshot):
        assert presence["counts"]["judge"] == 1
        assert presence["names"]["judge"] == [{"name_en": roadshow.judge.name, "name_zh": "张磊"}]
        assert presence["names"]["district"] == [{
            "name_en": roadshow.recruiter.name, "name_zh": roadshow.recruiter.name,
            "district_en": "Gulou District", "district_zh": "鼓楼区"}]


def test_completed_intent_is_celebrated_in_the_events_open_rooms(app, roadshow, connect):
    from roadshow.signing.signals import intent_completed

    host = connect(roadshow.organizer, roadshow.session)
    viewer = connect(roadshow.judge, roadshow.session)
    closed_room_viewer = connect(roadshow.judge, roadshow.other_session)
    open_pitch(host)
    events_of(viewer), events_of(closed_room_viewer)
    intent_completed.send(app, intent_id=7, application_id=roadshow.applications[0].id,
                          district_id=roadshow.district.id)
    ceremony = events_of(viewer, "ceremony")[0]["data"]
    assert ceremony["project_en"] == "Low-power IoT 1"
    assert ceremony["district_zh"] == "鼓楼区"
    assert events_of(closed_room_viewer) == []  # that room was never opened


def test_losing_a_role_closes_live_connections(app, roadshow, connect, db):
    from roadshow.accounts.signals import user_access_changed

    sock = connect(roadshow.recruiter, roadshow.session)
    assert sock.is_connected(NS)
    user_access_changed.send(app, user_id=roadshow.recruiter.id)
    assert not sock.is_connected(NS)


def test_programme_skips_pitch_slots_nobody_fills(roadshow, connect, db):
    from datetime import timedelta

    from roadshow.scheduling.models import Slot, SlotKind

    last = max(s.ends_at for s in roadshow.session.slots)
    db.session.add(Slot(session_id=roadshow.session.id, kind=SlotKind.PITCH, starts_at=last,
                        ends_at=last + timedelta(minutes=20), position=9))
    db.session.add(Slot(session_id=roadshow.session.id, kind=SlotKind.BREAK,
                        starts_at=last + timedelta(minutes=20),
                        ends_at=last + timedelta(minutes=30), position=10))
    db.session.commit()
    snapshot = hello(connect(roadshow.organizer, roadshow.session))
    assert [entry["kind"] for entry in snapshot["program"]] == ["district", "pitch", "pitch", "break"]
    assert [item["kind"] for item in snapshot["stage"]["items"]] == ["district", "pitch", "pitch", "break"]
