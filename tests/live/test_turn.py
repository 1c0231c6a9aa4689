"""Time-limited TURN credentials (the shared-secret scheme coturn checks with use-auth-secret)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from roadshow.live.turn import ice_servers, turn_credential

NOW = datetime(2026, 6, 11, 1, 0, tzinfo=UTC)


def test_the_credential_is_the_expiry_and_user_signed_with_the_shared_secret():
    credential = turn_credential("north-secret", 42, NOW, ttl_seconds=3600)
    expires = int(NOW.timestamp()) + 3600
    assert credential.username == f"{expires}:42"
    assert credential.expires == expires
    expected = base64.b64encode(hmac.new(b"north-secret", f"{expires}:42".encode(),
                                         hashlib.sha1).digest()).decode()
    assert credential.credential == expected
    assert turn_credential("other-secret", 42, NOW, 3600).credential != expected


def test_a_secret_is_required():
    with pytest.raises(ValueError, match="secret"):
        turn_credential("", 1, NOW)


def test_ice_servers_carry_turn_only_when_configured():
    assert ice_servers([], None, 1, NOW) == []
    assert ice_servers(["turn:turn.example.org:3478"], None, 1, NOW) == []
    servers = ice_servers(["turn:turn.example.org:3478?transport=udp"], "s3cret", 1, NOW,
                          stun_urls=["stun:turn.example.org:3478"])
    assert servers[0] == {"urls": ["stun:turn.example.org:3478"]}
    assert servers[1]["urls"] == ["turn:turn.example.org:3478?transport=udp"]
    assert str(servers[1]["username"]).endswith(":1")
