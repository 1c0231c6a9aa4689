"""Video signalling over /live (roadshow.live.signalling): only who the stage allows offers a
picture, messages go only to connections of the same room, moving the stage stops the old
presenter."""

from __future__ import annotations

from typing import Any

from roadshow.extensions import socketio
from tests.live.conftest import NS, act, hello

OFFER = {"type": "offer", "sdp": "v=0\r\n"}


def sid_of(sock: Any) -> str:
    return socketio.server.manager.sid_from_eio_sid(sock.eio_sid, NS)


def received(sock: Any, name: str) -> list[dict[str, Any]]:
    return [p["args"][0] for p in sock.get_received(NS) if p["name"] == name]


def on_pitch(roadshow, connect, index=1):
    host = connect(roadshow.organizer, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=index)["ok"]
    return host


def test_the_presenter_on_stage_publishes_and_viewers_get_the_offer(roadshow, connect):
    host = on_pitch(roadshow, connect)
    presenter = connect(roadshow.presenters[0], roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    assert hello(presenter)["video"]["may_publish"] is True
    assert hello(judge)["video"] == {"backend": "mesh", "mesh_limit": 8, "may_publish": False,
                                     "ice_servers": []}
    judge.get_received(NS)
    answer = act(presenter, "rtc_publish", screen=False)
    assert answer["ok"]
    assert answer["sid"] == sid_of(presenter)
    announced = received(judge, "rtc_publisher")
    assert [(a["user_id"], a["sid"]) for a in announced] == [(roadshow.presenters[0].id, sid_of(presenter))]

    assert act(judge, "rtc_watch", to=None)["ok"]
    asked = received(presenter, "rtc_watch")
    assert asked == [{"from": sid_of(judge), "user_id": roadshow.judge.id}]
    assert act(presenter, "rtc_signal", to=sid_of(judge), kind="offer", description=OFFER)["ok"]
    offers = received(judge, "rtc_signal")
    assert offers[0]["kind"] == "offer"
    assert offers[0]["from"] == sid_of(presenter)
    assert offers[0]["description"] == OFFER
    assert act(judge, "rtc_signal", to=sid_of(presenter), kind="answer",
               description={"type": "answer", "sdp": "v=0\r\n"})["ok"]
    assert received(presenter, "rtc_signal")[0]["kind"] == "answer"
    assert received(host, "rtc_signal") == []


def test_a_viewer_cannot_publish_or_offer_a_picture(roadshow, connect):
    on_pitch(roadshow, connect)
    presenter = connect(roadshow.presenters[0], roadshow.session)
    waiting = connect(roadshow.presenters[1], roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    refused = act(judge, "rtc_publish")
    assert refused["ok"] is False
    assert refused["error"] == "not_on_stage"
    assert act(waiting, "rtc_publish")["error"] == "not_on_stage"
    presenter.get_received(NS)
    assert act(judge, "rtc_signal", to=sid_of(presenter), kind="offer",
               description=OFFER)["error"] == "not_on_stage"
    assert act(judge, "rtc_signal", to=sid_of(presenter), kind="full")["error"] == "not_on_stage"
    assert received(presenter, "rtc_signal") == []


def test_signals_to_a_connection_of_another_room_are_refused(roadshow, connect):
    on_pitch(roadshow, connect)
    presenter = connect(roadshow.presenters[0], roadshow.session)
    elsewhere = connect(roadshow.judge, roadshow.other_session)
    assert elsewhere.is_connected(NS)
    elsewhere.get_received(NS)
    for kind in ("offer", "candidate", "answer"):
        answer = act(presenter, "rtc_signal", to=sid_of(elsewhere), kind=kind, description=OFFER)
        assert answer["error"] == "not_in_room", kind
    assert act(presenter, "rtc_watch", to=sid_of(elsewhere))["error"] == "not_in_room"
    assert act(presenter, "rtc_signal", to="no-such-connection", kind="offer")["error"] == "not_in_room"
    assert received(elsewhere, "rtc_signal") == []
    assert received(elsewhere, "rtc_watch") == []


def test_calling_the_next_item_stops_the_previous_presenter(roadshow, connect):
    host = on_pitch(roadshow, connect)
    first = connect(roadshow.presenters[0], roadshow.session)
    second = connect(roadshow.presenters[1], roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    assert act(first, "rtc_publish")["ok"]
    judge.get_received(NS)
    assert act(host, "stage", command="next")["ok"]
    stops = received(judge, "rtc_stop")
    assert stops == [{"user_ids": [roadshow.presenters[0].id], "district_ids": [], "everyone": False}]
    assert act(first, "rtc_publish")["error"] == "not_on_stage"
    assert act(first, "rtc_signal", to=sid_of(judge), kind="offer", description=OFFER)["error"] == "not_on_stage"
    assert act(second, "rtc_publish")["ok"]
    assert act(host, "stage", command="qa")["ok"]
    assert received(judge, "rtc_stop") == []  # the same presenter goes on into the Q&A


def test_the_host_brings_a_judge_on_and_the_next_item_sends_them_back(roadshow, connect):
    host = on_pitch(roadshow, connect)
    judge = connect(roadshow.judge, roadshow.session)
    viewer = connect(roadshow.recruiter, roadshow.session)
    people = act(host, "video_people")["people"]
    assert {p["user_id"] for p in people} == {roadshow.judge.id, roadshow.recruiter.id}
    assert act(judge, "video_people")["error"] == "not_host"
    assert act(judge, "video_guest", user_id=roadshow.judge.id)["error"] == "not_host"
    assert act(host, "video_guest", user_id=roadshow.presenters[1].id)["error"] == "not_in_room"
    assert act(host, "video_guest", user_id=roadshow.judge.id, on=True)["ok"]
    assert hello(viewer)["stage"]["guests"] == [roadshow.judge.id]
    assert act(judge, "rtc_publish")["ok"]
    assert act(host, "video_control", user_id=roadshow.judge.id, action="mute")["ok"]
    assert received(judge, "rtc_control") == [{"action": "mute", "user_id": roadshow.judge.id}]
    assert act(viewer, "video_control", user_id=roadshow.judge.id, action="mute")["error"] == "not_host"
    viewer.get_received(NS)
    assert act(host, "stage", command="next")["ok"]
    stop = received(viewer, "rtc_stop")[0]
    assert roadshow.judge.id in stop["user_ids"]
    assert act(judge, "rtc_publish")["error"] == "not_on_stage"


def test_refusals_speak_the_users_language(roadshow, connect, db):
    roadshow.judge.locale = "zh_Hans_CN"
    db.session.commit()
    on_pitch(roadshow, connect)
    judge = connect(roadshow.judge, roadshow.session)
    message = act(judge, "rtc_publish")["message"]
    assert message == "只有台上的人可以发送视频和声音。主持人可以请您上台。"


def test_who_is_on_stage_writes_captions_everyone_reads(roadshow, connect):
    on_pitch(roadshow, connect)
    presenter = connect(roadshow.presenters[0], roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    judge.get_received(NS)
    assert act(presenter, "video_caption", text="  Our battery   lasts ten years ")["ok"]
    assert received(judge, "rtc_caption") == [{
        "user_id": roadshow.presenters[0].id, "name_en": "Presenter 1", "name_zh": "Presenter 1",
        "text": "Our battery lasts ten years"}]
    assert act(judge, "video_caption", text="I am not on stage")["error"] == "not_on_stage"
    assert act(presenter, "video_caption", text="   ")["error"] == "text_empty"
    assert act(presenter, "video_caption", text="x" * 301)["error"] == "text_too_long"
    assert len(received(presenter, "rtc_caption")) == 1  # the writer reads it too
