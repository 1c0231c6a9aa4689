"""The signing flow through its services: order, codes, frozen content, completion."""

from __future__ import annotations

from datetime import timedelta

import pytest

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.signing import (
    audit_trail,
    drafting,
    exceptions,
    parties_and_turns,
    reminders,
    signatures,
)
from roadshow.signing.flow import IntentState, SignerState
from roadshow.signing.signals import intent_completed
from tests.signing.conftest import INFO, code_from, sign_as


def test_sending_freezes_content_and_hash(sent_intent):
    intent = sent_intent()
    assert intent.state == IntentState.OUT_FOR_SIGNATURE
    assert intent.content_sha256 == intent.latest_version.content_sha256
    assert [s.role.value for s in intent.signers] == ["applicant", "district", "city"]


def test_sent_intent_cannot_be_edited(sent_intent):
    intent = sent_intent()
    draft = drafting.draft_from_fields(intent.latest_version.draft_fields)
    draft.texts["project"]["en"] = "Something else entirely"
    with pytest.raises(exceptions.SigningError, match="frozen"):
        drafting.save_draft(db.session, intent.created_by, intent, draft, "sequential", {}, INFO)
    db.session.rollback()
    assert len(intent.versions) == 1


def test_drafts_are_versioned(draft_intent):
    intent = draft_intent()
    draft = drafting.draft_from_fields(intent.latest_version.draft_fields)
    draft.funding_cny = 5_000_000
    drafting.save_draft(db.session, intent.created_by, intent, draft, "sequential", {}, INFO)
    db.session.commit()
    assert [v.number for v in intent.versions] == [1, 2]
    assert intent.versions[0].content_sha256 != intent.versions[1].content_sha256
    assert "500万元" in intent.versions[1].content["funding"]["zh"]


def test_only_the_first_signer_is_asked_in_sequential_order(sent_intent, mailbox):
    intent = sent_intent()
    applicant, recruiter = intent.signers[0].user, intent.signers[1].user
    assert mailbox.to(applicant.email)
    assert not mailbox.to(recruiter.email)


def test_signing_order_is_enforced(sent_intent, mailbox):
    intent = sent_intent()
    recruiter = intent.signers[1].user
    with pytest.raises(exceptions.SigningError, match="not your turn"):
        signatures.send_code(db.session, intent, recruiter, INFO)
    db.session.rollback()
    with pytest.raises(exceptions.SigningError, match="not your turn"):
        signatures.sign(db.session, intent, recruiter, INFO, password="Correct-horse-42",
                      code="000000", typed_name=recruiter.name, consent=True, signature_png=None)
    db.session.rollback()
    assert intent.signers[1].state == SignerState.WAITING


def test_next_signer_is_asked_after_the_first_signs(sent_intent, mailbox):
    intent = sent_intent()
    applicant, recruiter = intent.signers[0].user, intent.signers[1].user
    sign_as(applicant, intent, mailbox)
    assert intent.signers[0].state == SignerState.SIGNED
    assert any("Please sign" in str(m["Subject"]) or "请" in str(m["Subject"])
               for m in mailbox.to(recruiter.email))
    parties_and_turns.turn_of(intent, recruiter)  # no longer refused


def test_parallel_signers_may_sign_in_any_order(sent_intent, mailbox):
    intent = sent_intent(ordering="parallel")
    organizer = intent.signers[2].user
    sign_as(organizer, intent, mailbox)
    assert intent.signers[2].state == SignerState.SIGNED
    assert intent.state == IntentState.OUT_FOR_SIGNATURE


def test_wrong_code_is_refused_and_counted(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    real = code_from(mailbox, applicant)
    wrong = "000000" if real != "000000" else "111111"
    with pytest.raises(exceptions.SigningError, match="not correct.*4 attempts left"):
        signatures.sign(db.session, intent, applicant, INFO, password="Correct-horse-42",
                      code=wrong, typed_name=applicant.name, consent=True, signature_png=None)
    db.session.commit()
    assert intent.signers[0].codes[-1].attempts == 1
    assert intent.signers[0].state == SignerState.WAITING
    assert intent.audit_entries[-1].action == "code_refused"


def test_expired_code_is_refused_with_clear_message(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    intent.signers[0].codes[-1].expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(exceptions.SigningError, match="expired.*new code"):
        signatures.sign(db.session, intent, applicant, INFO, password="Correct-horse-42",
                      code=code_from(mailbox, applicant), typed_name=applicant.name, consent=True,
                      signature_png=None)


def test_code_stops_working_after_five_wrong_attempts(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    real = code_from(mailbox, applicant)
    wrong = "000000" if real != "000000" else "111111"
    for _ in range(signatures.CODE_MAX_ATTEMPTS):
        with pytest.raises(exceptions.SigningError):
            signatures.sign(db.session, intent, applicant, INFO, password="Correct-horse-42",
                          code=wrong, typed_name=applicant.name, consent=True, signature_png=None)
        db.session.commit()
    with pytest.raises(exceptions.SigningError, match="ask for a confirmation code|new code"):
        signatures.sign(db.session, intent, applicant, INFO, password="Correct-horse-42",
                      code=real, typed_name=applicant.name, consent=True, signature_png=None)


def test_wrong_password_is_refused(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    with pytest.raises(exceptions.SigningError, match="password is not correct"):
        signatures.sign(db.session, intent, applicant, INFO, password="not-my-password-1",
                      code=code_from(mailbox, applicant), typed_name=applicant.name, consent=True,
                      signature_png=None)


def test_typed_name_must_match_the_account(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.send_code(db.session, intent, applicant, INFO)
    db.session.commit()
    with pytest.raises(exceptions.SigningError, match="full name"):
        signatures.sign(db.session, intent, applicant, INFO, password="Correct-horse-42",
                      code=code_from(mailbox, applicant), typed_name="Somebody Else", consent=True,
                      signature_png=None)


def test_completion_seals_the_pdf_and_announces_it(sent_intent, mailbox):
    heard = []

    def listener(_sender, **kwargs):
        heard.append(kwargs)

    intent = sent_intent()
    intent_completed.connect(listener)
    try:
        for signer in list(intent.signers):
            sign_as(signer.user, intent, mailbox)
    finally:
        intent_completed.disconnect(listener)
    assert intent.state == IntentState.COMPLETED
    assert intent.sealed_sha256
    assert audit_trail.sealed_pdf_of(db.session, intent).startswith(b"%PDF")
    assert heard == [{"intent_id": intent.id, "application_id": intent.application_id,
                      "district_id": intent.district_id}]
    completed = mailbox.to(intent.signers[0].user.email)[-1]
    attachments = [part for part in completed.iter_attachments()]
    assert attachments[0].get_content_type() == "application/pdf"


def test_decline_ends_signing_and_tells_the_others(sent_intent, mailbox):
    intent = sent_intent()
    applicant = intent.signers[0].user
    signatures.decline(db.session, intent, applicant, INFO, reason="The funding is too small.",
                     password="Correct-horse-42")
    db.session.commit()
    assert intent.state == IntentState.DECLINED
    assert any("funding is too small" in m.get_body(("plain",)).get_content()
               for m in mailbox.to(intent.created_by.email))
    with pytest.raises(exceptions.SigningError, match="closed"):
        signatures.send_code(db.session, intent, intent.signers[1].user, INFO)


def test_decline_needs_a_reason(sent_intent):
    intent = sent_intent()
    with pytest.raises(exceptions.SigningError, match="why you decline"):
        signatures.decline(db.session, intent, intent.signers[0].user, INFO, reason="",
                         password="Correct-horse-42")


def test_expired_intent_cannot_be_signed(sent_intent, mailbox):
    intent = sent_intent()
    intent.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(exceptions.SigningError, match="closed"):
        signatures.send_code(db.session, intent, intent.signers[0].user, INFO)
    db.session.rollback()
    reminded, expired = reminders.remind_due(db.session)
    db.session.commit()
    assert (reminded, expired) == (0, 1)
    assert intent.state == IntentState.EXPIRED


def test_recruiter_may_not_draft_for_another_district(parties, make_district, make_user):
    p = parties()
    other = make_district(code="other", name_zh="沛县", name_en="Pei County")
    stranger = make_user("recruiter", district=other)
    with pytest.raises(exceptions.ForbiddenError):
        drafting.create_intent(db.session, stranger, p.application, p.district,
                               drafting.default_draft(p.application, p.district), "sequential",
                               {}, INFO)


def test_reminder_goes_to_the_signer_whose_turn_it_is(sent_intent, mailbox):
    intent = sent_intent()
    mailbox.clear()
    sent = reminders.remind(db.session, intent, intent.created_by, INFO)
    db.session.commit()
    assert [s.position for s in sent] == [1]
    assert mailbox.to(intent.signers[0].user.email)
    assert not mailbox.to(intent.signers[1].user.email)
