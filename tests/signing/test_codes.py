"""One-time confirmation codes: each guard of roadshow.signing.codes with its own test, then the
service that uses them (empty code, resend throttle, a typed code normalised, a code marked used)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from roadshow.extensions import db
from roadshow.signing import codes, exceptions, signatures
from roadshow.signing.flow import SignerState
from tests.signing.conftest import INFO, code_from

NOW = datetime(2026, 6, 11, 2, 0, tzinfo=UTC)


@dataclass
class Row:
    created_at: datetime = NOW
    expires_at: datetime = NOW + codes.CODE_LIFETIME
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    attempts: int = 0


# --- the pure checks ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "meant"), [
    ("123456", "123456"), (" 123 456 ", "123456"), ("123-456", "123456"),
    ("１２３４５６", "123456"), ("١٢٣٤٥٦", "123456"), ("", ""), (None, ""), ("abc", ""),
])
def test_normalise_keeps_the_digits_a_signer_meant(typed, meant):
    assert codes.normalise(typed) == meant


def test_generate_keeps_leading_zeros_to_six_digits():
    assert codes.generate(lambda bound: 42) == "000042"
    asked = []
    codes.generate(lambda bound: asked.append(bound) or 0)
    assert asked == [1_000_000]


def test_resending_is_too_soon_within_twenty_seconds_of_an_unused_code():
    assert codes.too_soon_to_resend(Row(), NOW + timedelta(seconds=19))
    assert not codes.too_soon_to_resend(Row(), NOW + timedelta(seconds=20))


def test_resending_is_never_too_soon_for_the_first_code_or_after_one_was_used():
    assert not codes.too_soon_to_resend(None, NOW)
    assert not codes.too_soon_to_resend(Row(used_at=NOW), NOW + timedelta(seconds=1))


def test_the_live_code_is_the_newest_neither_used_nor_revoked():
    old, used, revoked, newest = Row(), Row(used_at=NOW), Row(revoked_at=NOW), Row()
    assert codes.live_code([old, used, revoked, newest]) is newest
    assert codes.live_code([old, used, revoked]) is old
    assert codes.live_code([used, revoked]) is None
    assert codes.live_code([]) is None


def test_check_usable_refuses_when_no_code_was_sent():
    with pytest.raises(codes.CodeRefused, match="^none_sent$"):
        codes.check_usable(None, "123456", NOW)


def test_check_usable_refuses_a_code_at_its_expiry():
    with pytest.raises(codes.CodeRefused, match="^expired$"):
        codes.check_usable(Row(expires_at=NOW), "123456", NOW)
    codes.check_usable(Row(expires_at=NOW + timedelta(seconds=1)), "123456", NOW)


def test_check_usable_refuses_after_five_wrong_attempts():
    with pytest.raises(codes.CodeRefused, match="^too_many$"):
        codes.check_usable(Row(attempts=codes.CODE_MAX_ATTEMPTS), "123456", NOW)
    codes.check_usable(Row(attempts=codes.CODE_MAX_ATTEMPTS - 1), "123456", NOW)


def test_check_usable_refuses_an_empty_code():
    with pytest.raises(codes.CodeRefused, match="^empty$") as refused:
        codes.check_usable(Row(), "", NOW)
    assert refused.value.reason == "empty"


def test_attempts_left_count_down_from_five_and_stop_at_zero():
    assert [codes.attempts_left(n) for n in range(7)] == [5, 4, 3, 2, 1, 0, 0]


# --- through the service ---------------------------------------------------------------------------------

def _sign(intent, user, code):
    return signatures.sign(db.session, intent, user, INFO, password="Correct-horse-42", code=code,
                         typed_name=user.name, consent=True, signature_png=None)


def test_an_empty_code_is_refused_without_using_an_attempt(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    for empty in ("", "   ", "--"):
        with pytest.raises(exceptions.SigningError, match="6-digit code from the latest email"):
            _sign(intent, applicant, empty)
        db.session.commit()
    assert intent.signers[0].codes[-1].attempts == 0
    assert all(entry.action != "code_refused" for entry in intent.audit_entries)


def test_a_second_code_within_twenty_seconds_is_refused_and_none_is_sent(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    sent = len(mailbox.to(applicant.email))
    with pytest.raises(exceptions.SigningError, match="a few seconds ago"):
        signatures.send_code(db.session, intent, applicant, INFO)
    db.session.rollback()
    assert len(intent.signers[0].codes) == 1
    assert len(mailbox.to(applicant.email)) == sent


def test_a_new_code_after_twenty_seconds_revokes_the_old_one(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    first = intent.signers[0].codes[-1]
    first.created_at = first.created_at - codes.CODE_RESEND_AFTER
    db.session.commit()
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    assert first.revoked_at is not None
    assert codes.live_code(intent.signers[0].codes) is intent.signers[0].codes[-1]


def test_a_code_typed_in_full_width_digits_with_spaces_signs(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    real = code_from(mailbox, applicant)
    typed = " ".join(chr(ord("０") + int(d)) for d in real)
    _sign(intent, applicant, typed)
    db.session.commit()
    assert intent.signers[0].state == SignerState.SIGNED


def test_a_code_that_signed_is_marked_used_and_no_longer_live(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    _sign(intent, applicant, code_from(mailbox, applicant))
    db.session.commit()
    row = intent.signers[0].codes[-1]
    assert row.used_at is not None
    assert row.attempts == 0
    assert codes.live_code(intent.signers[0].codes) is None


def test_the_last_wrong_attempt_revokes_the_code(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    row = intent.signers[0].codes[-1]
    row.attempts = codes.CODE_MAX_ATTEMPTS - 1
    db.session.commit()
    wrong = "000000" if code_from(mailbox, applicant) != "000000" else "111111"
    with pytest.raises(exceptions.SigningError, match="that was the last attempt"):
        _sign(intent, applicant, wrong)
    db.session.commit()
    assert row.revoked_at is not None
    with pytest.raises(exceptions.SigningError, match="ask for a confirmation code first"):
        _sign(intent, applicant, code_from(mailbox, applicant))
