"""Live scores stay hidden until the host reveals them (issue 18): what each member's snapshot
holds while a judge has scored, and the reveals the room refuses."""

from __future__ import annotations

from tests.live.conftest import act, hello


def _score_one(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]
    assert act(host, "stage", command="scoring")["ok"]
    first, second = roadshow.criteria
    assert act(judge, "score", scores={str(first.id): 8, str(second.id): 6})["ok"]
    return host, judge


def test_a_non_judge_snapshot_holds_no_rubric_no_count_of_judges_and_no_results(roadshow, connect):
    _score_one(roadshow, connect)
    for member in (roadshow.recruiter, roadshow.presenters[0]):
        snapshot = hello(connect(member, roadshow.session))
        assert snapshot["results"] == {}
        for hidden in ("rubric", "scored", "my_score", "conflicted"):
            assert hidden not in snapshot, hidden


def test_a_judges_snapshot_holds_the_rubric_and_their_own_score_but_not_the_count(roadshow,
                                                                                  connect):
    _host, judge = _score_one(roadshow, connect)
    snapshot = hello(judge)
    assert [c["id"] for c in snapshot["rubric"]] == [c.id for c in roadshow.criteria]
    assert snapshot["my_score"]["total"] is not None
    assert snapshot["conflicted"] is False
    assert "scored" not in snapshot
    assert snapshot["results"] == {}


def test_the_hosts_snapshot_counts_the_judges_who_scored_each_pitch(roadshow, connect):
    host, _judge = _score_one(roadshow, connect)
    snapshot = hello(host)
    on_stage = snapshot["stage"]["items"][1]["application_id"]
    assert snapshot["scored"][str(on_stage)] == 1
    assert snapshot["results"] == {}


def test_revealing_an_unknown_or_non_pitch_slot_is_refused_and_reveals_nothing(roadshow, connect):
    host, _judge = _score_one(roadshow, connect)
    items = hello(host)["stage"]["items"]
    not_pitches = [i["slot_id"] for i in items if i["kind"] != "pitch"]
    unknown = max(i["slot_id"] for i in items) + 100
    for slot_id in [unknown, *not_pitches]:
        assert act(host, "stage", command="reveal", slot_id=slot_id)["error"] == "no_such_item"
    viewer = connect(roadshow.recruiter, roadshow.session)
    assert hello(viewer)["results"] == {}
    assert hello(host)["stage"]["revealed"] == []
