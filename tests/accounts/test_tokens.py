"""Signed link tokens: each opens only its own kind of link, and only while fresh."""

from __future__ import annotations

import pytest

from roadshow.accounts.tokens import (
    INVITATION,
    PASSWORD_RESET,
    VERIFY_EMAIL,
    LinkError,
    Tokens,
    password_fingerprint,
)

TOKENS = Tokens("secret-for-tests")


def test_token_round_trips_its_payload():
    token = TOKENS.make(VERIFY_EMAIL, {"u": 7, "e": "a@example.org"})
    assert TOKENS.read(VERIFY_EMAIL, token, max_age=60) == {"u": 7, "e": "a@example.org"}


def test_token_for_one_purpose_does_not_open_another():
    token = TOKENS.make(VERIFY_EMAIL, {"u": 7})
    for other in (PASSWORD_RESET, INVITATION):
        with pytest.raises(LinkError) as caught:
            TOKENS.read(other, token, max_age=60)
        assert caught.value.reason == "invalid"


def test_tampered_or_foreign_token_is_invalid():
    token = TOKENS.make(VERIFY_EMAIL, {"u": 7})
    with pytest.raises(LinkError, match="invalid"):
        TOKENS.read(VERIFY_EMAIL, token[:-2] + "xx", max_age=60)
    with pytest.raises(LinkError, match="invalid"):
        Tokens("another-secret").read(VERIFY_EMAIL, token, max_age=60)


def test_old_token_is_expired():
    token = TOKENS.make(VERIFY_EMAIL, {"u": 7})
    with pytest.raises(LinkError) as caught:
        TOKENS.read(VERIFY_EMAIL, token, max_age=-1)
    assert caught.value.reason == "expired"


def test_password_fingerprint_changes_with_the_hash():
    assert password_fingerprint("hash-one") == password_fingerprint("hash-one")
    assert password_fingerprint("hash-one") != password_fingerprint("hash-two")
