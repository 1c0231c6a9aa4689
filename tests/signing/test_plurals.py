"""Counts in signing read right with one and with more; the Chinese reads as before."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from roadshow.extensions import db
from roadshow.signing import drafting, exceptions, signatures
from tests.conftest import Auth
from tests.signing.conftest import INFO, code_from


def _wrong_code(intent, mailbox):
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    real = code_from(mailbox, applicant)
    wrong = "000000" if real != "000000" else "111111"

    def attempt():
        with pytest.raises(exceptions.SigningError) as refused:
            signatures.sign(db.session, intent, applicant, INFO, password="Correct-horse-42",
                          code=wrong, typed_name=applicant.name, consent=True, signature_png=None)
        db.session.commit()
        return str(refused.value)

    return attempt


def test_the_last_attempt_but_one_says_one_attempt_left(sent_intent, mailbox):
    attempt = _wrong_code(sent_intent(), mailbox)
    for _ in range(signatures.CODE_MAX_ATTEMPTS - 3):
        attempt()
    assert "(2 attempts left)" in attempt()
    assert "(1 attempt left)" in attempt()


def test_the_chinese_attempts_message_reads_as_before(sent_intent, mailbox):
    attempt = _wrong_code(sent_intent(), mailbox)
    for _ in range(signatures.CODE_MAX_ATTEMPTS - 2):
        attempt()
    with force_locale("zh_Hans_CN"):
        assert "验证码不正确。请查看我们最新发送的邮件后重试（还剩 1 次机会）。" in attempt()


def test_the_audit_trail_counts_one_entry_and_more(app, draft_intent):
    intent = draft_intent()
    client = app.test_client()
    Auth(client).login(intent.created_by)
    assert len(intent.audit_entries) == 1
    assert "hash chain is intact (1 entry)." in client.get(f"/e/xz/signing/intents/{intent.id}").get_data(as_text=True)
    drafting.send_for_signing(db.session, intent.created_by, intent, INFO)
    db.session.commit()
    page = client.get(f"/e/xz/signing/intents/{intent.id}").get_data(as_text=True)
    assert re.search(r"hash chain is intact \([2-9] entries\)\.", page)
