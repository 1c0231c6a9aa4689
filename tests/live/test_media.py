"""Who may send video on the live stage (roadshow.live.media), as a table over the stage."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roadshow.live import media
from roadshow.live.membership import Member
from roadshow.live.state import (
    ItemKind,
    Phase,
    StageError,
    StageItem,
    StageState,
    call_item,
    close_room,
    open_room,
)

DISTRICT_ID, OTHER_DISTRICT, APP, OTHER_APP = 7, 8, 101, 102
ITEMS = (StageItem(1, ItemKind.DISTRICT, district_id=DISTRICT_ID, seconds=600),
         StageItem(2, ItemKind.PITCH, application_id=APP, pitch_seconds=600, qa_seconds=300),
         StageItem(3, ItemKind.PITCH, application_id=OTHER_APP, pitch_seconds=600, qa_seconds=300),
         StageItem(4, ItemKind.BREAK, seconds=600))

HOST = Member(1, "host")
JUDGE = Member(2, "judge")
RECRUITER = Member(3, "district", district_id=DISTRICT_ID)
OTHER_RECRUITER = Member(4, "district", district_id=OTHER_DISTRICT)
PRESENTER = Member(5, "presenter", presents=frozenset({APP}))
NEXT_PRESENTER = Member(6, "presenter", presents=frozenset({OTHER_APP}))
VIEWER = Member(9, "viewer")
ARCHIVED_HOST = Member(1, "host", read_only=True)
PEOPLE = {"host": HOST, "judge": JUDGE, "recruiter": RECRUITER, "other_recruiter": OTHER_RECRUITER,
          "presenter": PRESENTER, "next_presenter": NEXT_PRESENTER, "viewer": VIEWER,
          "archived_host": ARCHIVED_HOST}


def stage(where: str) -> StageState:
    opened = open_room(StageState(items=ITEMS))
    return {
        "not_open": StageState(items=ITEMS),
        "waiting": opened,
        "district": call_item(opened, 0),
        "pitch": call_item(opened, 1),
        "qa": replace(call_item(opened, 1), phase=Phase.QA),
        "scoring": replace(call_item(opened, 1), phase=Phase.SCORING),
        "next_pitch": call_item(opened, 2),
        "break": call_item(opened, 3),
        "pitch_with_judge": replace(call_item(opened, 1), guests=frozenset({JUDGE.user_id})),
        "closed": close_room(call_item(opened, 1)),
    }[where]


#: stage -> who may publish there (everyone else may not)
TABLE = {
    "not_open": set(),
    "waiting": {"host"},
    "district": {"host", "recruiter"},
    "pitch": {"host", "presenter"},
    "qa": {"host", "presenter"},
    "scoring": {"host", "presenter"},
    "next_pitch": {"host", "next_presenter"},
    "break": {"host"},
    "pitch_with_judge": {"host", "presenter", "judge"},
    "closed": set(),
}


@pytest.mark.parametrize("where", sorted(TABLE))
def test_who_may_publish_follows_the_stage(where):
    allowed = {name for name, member in PEOPLE.items() if media.may_publish(stage(where), member)}
    assert allowed == TABLE[where]


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("pitch", "next_pitch", media.Stopped(application_ids=frozenset({APP}))),
    ("district", "pitch", media.Stopped(district_ids=frozenset({DISTRICT_ID}))),
    ("pitch_with_judge", "pitch", media.Stopped(user_ids=frozenset({JUDGE.user_id}))),
    ("pitch", "qa", media.Stopped()),
    ("pitch", "closed", media.Stopped(everyone=True)),
    ("waiting", "pitch", media.Stopped()),
])
def test_moving_the_stage_stops_who_is_no_longer_on_it(before, after, expected):
    assert media.stopped(stage(before), stage(after)) == expected
    assert bool(expected) == bool(media.stopped(stage(before), stage(after)))


def test_calling_the_next_item_sends_the_guests_back():
    with_judge = media.bring_on(stage("pitch"), JUDGE.user_id, "judge")
    assert media.may_publish(with_judge, JUDGE)
    assert call_item(with_judge, 2).guests == frozenset()
    assert StageState.from_dict(with_judge.to_dict()).guests == {JUDGE.user_id}
    assert media.take_off(with_judge, JUDGE.user_id).guests == frozenset()


@pytest.mark.parametrize(("where", "role", "code"), [
    ("pitch", "viewer", "not_a_guest"),
    ("pitch", "presenter", "not_a_guest"),
    ("waiting", "judge", "nothing_on_stage"),
    ("not_open", "judge", "not_open"),
    ("closed", "judge", "closed"),
])
def test_the_host_brings_only_judges_and_districts_on_an_item(where, role, code):
    with pytest.raises(StageError) as refused:
        media.bring_on(stage(where), 42, role)
    assert refused.value.code == code


def test_guests_are_limited():
    state = stage("pitch")
    for user_id in range(100, 100 + media.MAX_GUESTS):
        state = media.bring_on(state, user_id, "district")
    with pytest.raises(StageError, match="too_many_guests"):
        media.bring_on(state, 999, "judge")


def test_the_room_page_may_connect_to_the_media_servers_only():
    policy = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self'"
    widened = media.with_connect_sources(policy, ["https://a.example.org:8089/janus",
                                                  " https://b.example.org/janus"])
    assert widened == ("default-src 'self'; connect-src 'self' ws: wss: https://a.example.org:8089 "
                       "https://b.example.org; img-src 'self'")


def test_several_janus_servers_share_the_rooms_the_same_way_on_every_process():
    from roadshow.live.signalling import janus_urls

    assert janus_urls(None) == []
    assert janus_urls("http://a/janus, http://b/janus") == ["http://a/janus", "http://b/janus"]
