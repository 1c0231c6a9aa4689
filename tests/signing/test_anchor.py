"""The audit chain anchored outside the database: every field hashed by construction, the head
signed with the platform's key, the whole trail sealed into the PDF (issue 12, item 14;
issue 18)."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.signing import audit_trail, chain, pdf, seal
from roadshow.signing.models import AuditEntry, Intent

HASHED = {f.name for f in fields(chain.ChainEntry)}
COLUMNS = {c.key for c in AuditEntry.__table__.columns}


def _rows(intent: Intent) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.intent_id == intent.id)
                                   .order_by(AuditEntry.seq)))


def _rewrite_from(intent: Intent, seq: int, **changes) -> None:
    """The attack: change entry ``seq``, recompute every later hash and the head, as anyone
    who can write to the database can."""
    rows = _rows(intent)
    scope = audit_trail.chain_scope(intent)
    prev = chain.GENESIS
    for row in rows:
        if row.seq == seq:
            for name, value in changes.items():
                setattr(row, name, value)
        row.prev_hash = prev
        row.entry_hash = chain.entry_hash(scope, audit_trail.chain_entry(row))
        prev = row.entry_hash
    db.session.execute(update(Intent).where(Intent.id == intent.id).values(audit_head=prev))
    db.session.commit()
    db.session.expire_all()


def test_every_audit_column_is_hashed_or_excused_by_name():
    assert HASHED | set(chain.NOT_HASHED) == COLUMNS
    assert not HASHED & set(chain.NOT_HASHED)


def test_the_hash_payload_holds_every_field():
    entry = chain.ChainEntry(1, "viewed", utcnow(), 7, "A <a@example.org>", "192.0.2.1",
                             "ua", {"k": 1}, chain.GENESIS)
    assert len(chain.entry_payload(entry)) == len(HASHED)


TAMPERINGS = {
    "seq": 1000,
    "action": "downloaded",
    "at": lambda row: row.at + timedelta(seconds=1),
    "actor_id": None,
    "actor_label": "Mallory <m@example.org>",
    "ip": "198.51.100.66",
    "user_agent": "curl/8",
    "details": {"file": "forged"},
    "prev_hash": "f" * 64,
    "entry_hash": "e" * 64,
    "intent_id": "other",
}


def test_every_column_but_the_surrogate_key_is_tampered_with_here():
    assert set(TAMPERINGS) == COLUMNS - {"id"}


@pytest.mark.parametrize("column", sorted(TAMPERINGS))
def test_tampering_with_any_field_of_an_entry_is_detected(column, sent_intent, draft_intent):
    intent = sent_intent()
    row = next(r for r in _rows(intent) if r.actor_id is not None and r.seq == 2)
    value = TAMPERINGS[column]
    if column == "intent_id":
        value = draft_intent().id
    elif callable(value):
        value = value(row)
    assert getattr(row, column) != value
    db.session.execute(update(AuditEntry).where(AuditEntry.id == row.id).values({column: value}))
    db.session.commit()
    db.session.expire_all()
    assert audit_trail.verify_intent_chain(db.session, intent) != []


def test_rewriting_an_entry_and_every_later_hash_is_detected_by_the_signed_head(sent_intent, runner):
    intent = sent_intent()
    assert audit_trail.verify_intent_chain(db.session, intent) == []
    _rewrite_from(intent, 1, ip="198.51.100.66")
    problems = audit_trail.verify_intent_chain(db.session, intent)
    assert [p.kind for p in problems] == ["signature"]
    result = runner.invoke(args=["signing", "verify-chain"])
    assert result.exit_code == 1
    assert "signature" in result.output


def test_removing_the_head_signature_is_detected(sent_intent):
    intent = sent_intent()
    db.session.execute(update(Intent).where(Intent.id == intent.id).values(audit_head_signature=""))
    db.session.commit()
    db.session.expire_all()
    assert [p.kind for p in audit_trail.verify_intent_chain(db.session, intent)] == ["signature"]


def test_rewriting_a_sealed_trail_is_detected_against_the_sealed_pdf(completed_intent, runner):
    intent = completed_intent()
    assert audit_trail.verify_intent_chain(db.session, intent) == []
    _rewrite_from(intent, 3, ip="198.51.100.66")
    problems = audit_trail.verify_intent_chain(db.session, intent)
    kinds = {p.kind for p in problems}
    assert kinds == {"signature", "sealed"}
    sealed = [str(p) for p in problems if p.kind == "sealed"]
    assert "#3 sealed: differs from the sealed PDF's copy (ip)" in sealed
    result = runner.invoke(args=["signing", "verify-chain"])
    assert result.exit_code == 1
    assert "differs from the sealed PDF's copy (ip)" in result.output


def test_the_sealed_pdf_carries_the_whole_trail_up_to_completion(completed_intent):
    intent = completed_intent()
    data = audit_trail.sealed_pdf_of(db.session, intent)
    attached = seal.attachment(data, pdf.TRAIL_ATTACHMENT)
    assert attached is not None
    document = json.loads(attached)
    scope, entries = chain.import_trail(document)
    assert scope == audit_trail.chain_scope(intent)
    assert entries[-1][0].action == "completed"
    rows = _rows(intent)
    assert [digest for _entry, digest in entries] == [r.entry_hash for r in rows[:len(entries)]]
    assert chain.verify_chain(scope, entries, document["head"], document["count"]) == []
    assert seal.message_signed(audit_trail.seal_identity(),
                               chain.head_message(scope, len(entries), document["head"]),
                               document["head_signature"])


def test_a_sealed_pdf_is_checked_from_itself_alone(completed_intent, runner, tmp_path):
    intent = completed_intent()
    data = audit_trail.sealed_pdf_of(db.session, intent)
    genuine = tmp_path / "intent.pdf"
    genuine.write_bytes(data)
    result = runner.invoke(args=["signing", "verify-pdf", str(genuine)])
    assert result.exit_code == 0, result.output
    assert "attached audit trail intact" in result.output
    changed = bytearray(data)
    at = data.index(b"/Title") + 8
    changed[at] ^= 1
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(changed))
    result = runner.invoke(args=["signing", "verify-pdf", str(tampered)])
    assert result.exit_code == 1
    assert "does not validate" in result.output


def test_heads_recorded_unsigned_are_adopted_only_when_intact(sent_intent, runner):
    intact, broken = sent_intent(), sent_intent()
    db.session.execute(update(Intent).values(audit_head_signature=""))
    db.session.execute(update(AuditEntry).where(AuditEntry.intent_id == broken.id,
                                                AuditEntry.seq == 1).values(ip="198.51.100.66"))
    db.session.commit()
    db.session.expire_all()
    assert runner.invoke(args=["signing", "verify-chain"]).exit_code == 1
    result = runner.invoke(args=["signing", "verify-chain", "--adopt-unsigned"])
    assert "Signed the heads of 1 intact trail(s)" in result.output
    db.session.expire_all()
    assert audit_trail.verify_intent_chain(db.session, intact) == []
    assert {p.kind for p in audit_trail.verify_intent_chain(db.session, broken)} == {"hash", "signature"}
