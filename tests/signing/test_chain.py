"""The audit trail: hash-chained, appended with each change, tampering detected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, update

from roadshow.extensions import db
from roadshow.signing import audit_trail, canonical, chain
from roadshow.signing.models import AuditEntry

START = datetime(2026, 6, 11, 1, 0, tzinfo=UTC)


def _chain(n: int) -> list[tuple[chain.ChainEntry, str]]:
    out, prev = [], chain.GENESIS
    for i in range(1, n + 1):
        entry = chain.ChainEntry(i, "viewed", START + timedelta(minutes=i), i, f"user {i}",
                                 "203.0.113.1", "ua", {"n": i}, prev)
        digest = chain.entry_hash("intent:x", entry)
        out.append((entry, digest))
        prev = digest
    return out


def test_intact_chain_has_no_problems():
    entries = _chain(5)
    assert chain.verify_chain("intent:x", entries, entries[-1][1], 5) == []


def test_altered_entry_is_detected():
    entries = _chain(5)
    entry, digest = entries[2]
    entries[2] = (chain.ChainEntry(**{**entry.__dict__, "actor_label": "someone else"}), digest)
    problems = chain.verify_chain("intent:x", entries, entries[-1][1], 5)
    assert [(p.seq, p.kind) for p in problems] == [(3, "hash")]


def test_deleted_middle_entry_is_detected():
    entries = _chain(5)
    del entries[1]
    kinds = {p.kind for p in chain.verify_chain("intent:x", entries, entries[-1][1], 5)}
    assert {"gap", "link", "count"} <= kinds


def test_deleted_last_entry_is_detected_by_the_head():
    entries = _chain(5)
    head = entries[-1][1]
    kinds = {p.kind for p in chain.verify_chain("intent:x", entries[:-1], head, 5)}
    assert kinds == {"head", "count"}


def test_entry_moved_to_another_intent_is_detected():
    entries = _chain(3)
    assert chain.verify_chain("intent:y", entries) != []


@given(st.dictionaries(st.text(max_size=8), st.one_of(st.integers(), st.text(max_size=8)),
                       max_size=6))
def test_canonical_hash_ignores_key_order(mapping):
    reordered = dict(reversed(list(mapping.items())))
    assert canonical.content_hash(mapping) == canonical.content_hash(reordered)


def test_canonical_form_normalises_unicode():
    assert canonical.content_hash({"n": "e\u0301"}) == canonical.content_hash({"n": "\u00e9"})


def test_every_change_appends_to_the_trail(completed_intent):
    intent = completed_intent()
    actions = [e.action for e in intent.audit_entries]
    assert actions[:2] == ["created", "sent"]
    assert actions.count("code_sent") == 3
    assert actions.count("signed") == 3
    assert actions[-2:] == ["completed", "sealed"]
    first_signature = next(e for e in intent.audit_entries if e.action == "signed")
    assert first_signature.ip == "203.0.113.7"
    assert first_signature.user_agent == "pytest-browser/1.0"
    assert audit_trail.verify_intent_chain(db.session, intent) == []


def test_altered_audit_row_is_detected(completed_intent, runner):
    intent = completed_intent()
    db.session.execute(update(AuditEntry).where(AuditEntry.intent_id == intent.id,
                                                AuditEntry.seq == 3).values(ip="198.51.100.1"))
    db.session.commit()
    db.session.expire_all()
    # the row's own hash, and the copy of the trail sealed into the PDF, both disagree
    assert [p.kind for p in audit_trail.verify_intent_chain(db.session, intent)] == ["hash", "sealed"]
    result = runner.invoke(args=["signing", "verify-chain"])
    assert result.exit_code == 1
    assert f"{intent.reference}: BROKEN" in result.output


def test_deleted_audit_row_is_detected(completed_intent, runner):
    intent = completed_intent()
    last = intent.audit_count
    db.session.execute(delete(AuditEntry).where(AuditEntry.intent_id == intent.id,
                                                AuditEntry.seq == last))
    db.session.commit()
    db.session.expire_all()
    kinds = {p.kind for p in audit_trail.verify_intent_chain(db.session, intent)}
    assert kinds == {"head", "count"}
    assert runner.invoke(args=["signing", "verify-chain"]).exit_code == 1


def test_verify_chain_command_passes_an_untouched_trail(sent_intent, runner):
    sent_intent()
    result = runner.invoke(args=["signing", "verify-chain"])
    assert result.exit_code == 0, result.output
    assert "All 1 audit trail(s) intact" in result.output


def test_remind_command_reminds_after_a_day(sent_intent, runner, mailbox):
    intent = sent_intent()
    intent.sent_at = intent.sent_at - timedelta(days=2)
    db.session.commit()
    mailbox.clear()
    result = runner.invoke(args=["signing", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) sent, 0 intent(s) expired." in result.output
    assert "Reminder" in str(mailbox.to(intent.signers[0].user.email)[0]["Subject"])
