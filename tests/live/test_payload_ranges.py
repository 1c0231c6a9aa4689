"""A number in a /live payload that no database column can hold (an id of 10^20, a float of
1e300) is refused as a bad request like any wrongly typed field, instead of raising
OverflowError inside the handler so the sender never got an answer (a viewer could do it with
any vote)."""

from __future__ import annotations

import pytest

from roadshow.live.payloads import PayloadError, check
from tests.live.conftest import act, hello

TOO_BIG = [10**20, 2**31, -(2**31) - 1, 1e300]


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize(("event", "field", "extra"), [
    ("vote", "question_id", {}), ("moderate", "question_id", {"status": "answered"}),
    ("delete_chat", "message_id", {}), ("mute", "user_id", {}), ("page", "page", {}),
    ("stage", "slot_id", {"command": "call"}), ("hello", "since", {}),
])
def test_a_number_no_column_holds_is_a_bad_field(event, field, extra, number):
    with pytest.raises(PayloadError) as refused:
        check(event, ({field: number, **extra},))
    assert refused.value.field == field


def test_the_largest_id_the_database_holds_passes():
    assert check("vote", ({"question_id": 2**31 - 1},)) == {"question_id": 2**31 - 1}
    assert check("stage", ({"command": "extend", "seconds": -60},))["seconds"] == -60


@pytest.mark.parametrize("name", ["vote", "moderate", "delete_chat", "mute"])
def test_an_id_too_large_is_answered_as_a_bad_request(roadshow, connect, name):
    host = connect(roadshow.organizer, roadshow.session)
    viewer = connect(roadshow.presenters[1], roadshow.session)
    field = {"vote": "question_id", "moderate": "question_id", "delete_chat": "message_id",
             "mute": "user_id"}[name]
    extra = {"status": "answered"} if name == "moderate" else {}
    for sock in (host, viewer):
        answer = act(sock, name, **{field: 10**20, **extra})
        assert answer["ok"] is False
        assert answer["error"] == "bad_request"
        assert "could not be understood" in answer["message"]
    assert hello(viewer)["seq"] == 0
