"""Every /live event's payload is checked in one place, and a bad one gets an error answer in
the sender's language (issue 12, item 19)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.live.payloads import SCHEMAS, PayloadError, check
from roadshow.review.models import Review
from tests.live.conftest import NS, act, hello


def test_an_event_sent_without_a_payload_is_answered_with_an_error(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    for name in SCHEMAS:
        if name == "hello":
            continue
        answer = host.emit(name, namespace=NS, callback=True)
        assert answer == {"ok": False, "error": "bad_request", "message": answer["message"]}, name
        assert "could not be understood" in answer["message"]
    assert hello(host)["seq"] == 0  # nothing was done


def test_a_payload_that_is_not_an_object_is_refused_in_the_users_language(roadshow, connect, db):
    roadshow.organizer.locale = "zh_Hans_CN"
    db.session.commit()
    host = connect(roadshow.organizer, roadshow.session)
    for payload in ([1, 2], "open", 7, True):
        answer = host.emit("stage", payload, namespace=NS, callback=True)
        assert answer["error"] == "bad_request"
        assert answer["message"] == "无法识别该请求。请刷新页面后重试。"


def test_hello_may_come_without_a_payload(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    answer = host.emit("hello", namespace=NS, callback=True)
    assert answer["ok"] is True


def test_a_json_true_is_not_a_score_of_one(roadshow, connect, db):
    host = connect(roadshow.organizer, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]
    assert act(host, "stage", command="scoring")["ok"]
    scores = {str(c.id): True for c in roadshow.criteria}
    assert act(judge, "score", scores=scores)["error"] == "bad_request"
    assert db.session.scalars(select(Review)).all() == []
    assert act(judge, "score", scores={str(c.id): 7 for c in roadshow.criteria})["ok"]


def test_wrongly_typed_fields_are_refused_and_unknown_ones_dropped():
    assert check("chat", ({"text": "hi", "action_id": "a1", "extra": 1},)) == {
        "text": "hi", "action_id": "a1"}
    assert check("stage", ({"command": "call", "index": 2.0},)) == {"command": "call", "index": 2}
    assert check("hello", ()) == {}
    for event, payload in [("stage", {"command": "call", "index": True}),
                           ("stage", {"command": 3}), ("page", {"page": "2"}),
                           ("vote", {"question_id": 1, "up": "yes"}), ("chat", {}),
                           ("score", {"scores": {"1": float("nan")}}),
                           ("score", {"scores": [1, 2]}), ("dock", {"kind": None})]:
        with pytest.raises(PayloadError):
            check(event, (payload,))
    with pytest.raises(PayloadError):
        check("chat", ())
    with pytest.raises(PayloadError):
        check("chat", ({"text": "a"}, {"text": "b"}))
