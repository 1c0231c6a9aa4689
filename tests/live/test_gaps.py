"""Clients can tell a lost broadcast from one meant for others, and catch up (issue 12, item 12):
every event names the number before it on each channel of its audience, the snapshot names the
last number on each of the client's channels, and the room's last number is announced."""

from __future__ import annotations

from sqlalchemy import select

from roadshow.extensions import db
from roadshow.live import chat, membership
from roadshow.live.models import LiveRoom
from roadshow.live.namespace import get_namespace
from roadshow.organisations import grants
from tests.live.conftest import NS, act, events_of, hello


def scores(roadshow):
    return {str(c.id): 7 for c in roadshow.criteria}


def test_every_event_names_the_one_before_it_on_each_of_its_channels(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    presenter = connect(roadshow.presenters[0], roadshow.session)
    start = hello(presenter)
    assert start["channels"] == {"all": 0, f"user:{roadshow.presenters[0].id}": 0}
    assert set(hello(host)["channels"]) == {"all", "host", f"user:{roadshow.organizer.id}"}
    for command in ({"command": "open"}, {"command": "call", "index": 1}, {"command": "scoring"}):
        assert act(host, "stage", **command)["ok"]
    assert act(judge, "score", scores=scores(roadshow))["ok"]  # to the hosts and the judge only
    assert act(host, "chat", text="Thank you")["ok"]

    seen = events_of(presenter)
    assert [e["kind"] for e in seen] == ["stage", "stage", "stage", "chat"]
    assert [e["seq"] for e in seen] == [1, 2, 3, 5]  # 4 went to others
    assert [e["prev"] for e in seen] == [{"all": 0}, {"all": 1}, {"all": 2}, {"all": 3}]
    [scored] = events_of(judge, "scored")
    assert scored["seq"] == 4
    assert scored["prev"] == {"host": 0, f"user:{roadshow.judge.id}": 0}
    assert hello(judge)["channels"] == {"all": 5, f"user:{roadshow.judge.id}": 4}
    assert hello(host)["channels"]["host"] == 4


def test_a_broadcast_lost_on_the_way_shows_as_a_gap_and_the_snapshot_fills_it(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    viewer = connect(roadshow.recruiter, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    held = {"all": hello(viewer)["channels"]["all"]}
    events_of(viewer)
    # another process accepted a chat while Redis was down: stored, numbered, never delivered
    room = db.session.scalars(select(LiveRoom)).one()
    member = membership.membership(db.session, roadshow.judge,
                                    grants.in_event(db.session, roadshow.judge, roadshow.event),
                                    roadshow.session)
    lost = chat.send_chat(db.session, room, member, "said during the outage")
    db.session.commit()
    assert act(host, "chat", text="after the outage")["ok"]
    [after] = events_of(viewer)
    assert after["prev"]["all"] == lost.seq > held["all"]  # the client sees what it missed
    snapshot = hello(viewer)
    assert [m["text"] for m in snapshot["chat"]] == ["said during the outage", "after the outage"]
    assert snapshot["channels"]["all"] == after["seq"]


def test_each_process_announces_its_rooms_last_number(app, roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    viewer = connect(roadshow.recruiter, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "chat", text="hello")["ok"]
    viewer.get_received(NS)
    get_namespace().announce_heads()
    heads = [p["args"][0] for p in viewer.get_received(NS) if p["name"] == "heads"]
    assert heads == [{"all": 2}]
