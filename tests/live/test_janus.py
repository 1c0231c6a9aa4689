"""Roadshow drives a real Janus VideoRoom (roadshow.live.janus): rooms with a secret, a pin and
an allowed list; a publisher token lets exactly its user publish in exactly its room."""

from __future__ import annotations

import pytest

from roadshow.live.janus import UNAUTHORIZED, Janus, JanusError, publisher_token, room_number
from tests.live.janus_process import ADMIN_KEY, janus_server, join  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow
KEY = "test-secret-key"


@pytest.fixture
def janus(janus_server):  # noqa: F811
    return Janus(janus_server.url, KEY, admin_key=ADMIN_KEY)


def test_a_granted_token_publishes_and_a_token_of_another_room_is_refused(janus, janus_server):  # noqa: F811
    first, second = janus.ensure_room(901), janus.ensure_room(902)
    assert janus.ensure_room(901) == first  # creating again is harmless
    token = janus.grant(901, 42)
    assert janus.allowed_users(901) == [42]
    joined = join(janus_server.url, first.room, ptype="publisher", id=42, token=token, pin=first.pin)
    assert joined["videoroom"] == "joined", joined
    assert janus.publishers(901) == [] or janus.publishers(901) == [42]
    elsewhere = join(janus_server.url, second.room, ptype="publisher", id=42, token=token,
                     pin=second.pin)
    assert elsewhere["error_code"] == UNAUTHORIZED
    without = join(janus_server.url, first.room, ptype="publisher", id=43, pin=first.pin)
    assert without["error_code"] == UNAUTHORIZED
    viewer_token = publisher_token(KEY, 901, 43)  # a token Roadshow never granted
    assert join(janus_server.url, first.room, ptype="publisher", id=43, token=viewer_token,
                pin=first.pin)["error_code"] == UNAUTHORIZED


def test_revoking_takes_the_token_off_and_a_wrong_pin_cannot_watch(janus, janus_server):  # noqa: F811
    room = janus.ensure_room(903)
    token = janus.grant(903, 7)
    janus.revoke(903, [7])
    assert janus.allowed_users(903) == []
    assert join(janus_server.url, room.room, ptype="publisher", id=7, token=token,
                pin=room.pin)["error_code"] == UNAUTHORIZED
    wrong_pin = join(janus_server.url, room.room, ptype="publisher", id=8, pin="guess")
    assert wrong_pin["error_code"] == UNAUTHORIZED


def test_rooms_are_managed_only_with_their_secret(janus, janus_server):  # noqa: F811
    janus.ensure_room(904)
    stranger = Janus(janus_server.url, "another-deployment", admin_key=ADMIN_KEY)
    with pytest.raises(JanusError) as refused:
        stranger.grant(904, 1)
    assert refused.value.code == UNAUTHORIZED
    janus.destroy_room(904)
    janus.destroy_room(904)  # already gone: harmless
    assert room_number(904) != room_number(903)
