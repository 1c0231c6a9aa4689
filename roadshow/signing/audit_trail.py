"""The audit trail of an intent: the request details each entry records, the hash chain and its
head signed with the platform's identity, the trail as a self-checking document, and checking it
(against the trail sealed in the intent's PDF too).

Every change to an intent appends its entry here in the caller's transaction; the view commits
once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.scoping import scoped, unscoped
from roadshow.signing import canonical, chain, pdf, seal
from roadshow.signing.models import AuditEntry, Intent


@dataclass(frozen=True)
class RequestInfo:
    ip: str = ""
    user_agent: str = ""

    @classmethod
    def system(cls) -> RequestInfo:
        return cls("", "roadshow (server)")


def seal_identity() -> seal.SealIdentity:
    folder = Path(current_app.instance_path) / "signing"
    return seal.ensure_identity(folder)


def of_intent(stmt: Any, intent: Intent) -> Any:
    """``stmt`` scoped to the event of ``intent`` (its rows are read inside that event's pages)."""
    return scoped(stmt, intent.application.event_id)


def lock_intent(session: Session, intent: Intent) -> None:
    """Serialise changes to one intent (PostgreSQL row lock; SQLite locks the database)."""
    if intent.id is not None and session.get_bind().dialect.name == "postgresql":
        session.execute(of_intent(
            select(Intent.id).where(Intent.id == intent.id).with_for_update(), intent))
        session.refresh(intent, ["audit_head", "audit_count", "state"])


def chain_entry(entry: AuditEntry) -> chain.ChainEntry:
    """Every column of the row but those ``chain.NOT_HASHED`` excuses: a new column must be
    hashed (a field of ``ChainEntry``) or excused there, or this fails to construct."""
    values = {column.key: getattr(entry, column.key) for column in AuditEntry.__table__.columns
              if column.key not in chain.NOT_HASHED}
    values["details"] = values["details"] or {}
    return chain.ChainEntry(**values)


def _sign_head(intent: Intent) -> None:
    intent.audit_head_signature = seal.sign_message(
        seal_identity(), chain.head_message(chain_scope(intent), intent.audit_count,
                                            intent.audit_head))


def chain_scope(intent: Intent) -> str:
    return f"intent:{intent.public_id}"


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "Roadshow"
    native = f" {actor.name_native}" if actor.name_native else ""
    return f"{actor.name}{native} <{actor.email}>"


def audit(session: Session, intent: Intent, action: str, actor: User | None, info: RequestInfo,
          at: datetime | None = None, **details: Any) -> AuditEntry:
    """Append an entry to the intent's chain, in the caller's transaction (``at``: the moment
    it records, when the caller's clock is not the wall clock, e.g. a later stage's own)."""
    if intent.id is None:
        session.flush()
    entry = AuditEntry(
        intent=intent, seq=intent.audit_count + 1, action=action,
        at=at or utcnow(),
        actor_id=actor.id if actor else None, actor_label=actor_label(actor),
        ip=info.ip[:64], user_agent=info.user_agent[:400],
        details={k: v for k, v in details.items() if v is not None}, prev_hash=intent.audit_head,
    )
    entry.entry_hash = chain.entry_hash(chain_scope(intent), chain_entry(entry))
    intent.audit_head = entry.entry_hash
    intent.audit_count = entry.seq
    _sign_head(intent)
    session.add(entry)
    return entry


def keep_last_update(intent: Intent) -> None:
    """Leave the intent's "last updated" as it was: a view or a download lengthens the audit
    trail (which would set ``updated_at`` through its onupdate) but changes nothing of the
    intent, so it must not move the intent up the board."""
    intent.updated_at = intent.updated_at
    flag_modified(intent, "updated_at")  # written as it is, so onupdate does not replace it


def trail_entries(session: Session, intent: Intent) -> list[AuditEntry]:
    return list(session.scalars(of_intent(
        select(AuditEntry).where(AuditEntry.intent_id == intent.id).order_by(AuditEntry.seq),
        intent)).all()) if intent.id else []


def trail_document(session: Session, intent: Intent) -> dict[str, Any]:
    """The intent's whole audit trail as a self-checking document (attached to its PDFs)."""
    return chain.export_trail(
        chain_scope(intent), [(chain_entry(e), e.entry_hash) for e in trail_entries(session, intent)],
        head_signature=intent.audit_head_signature)


def _head_problems(intent: Intent, identity: seal.SealIdentity) -> list[chain.ChainProblem]:
    message = chain.head_message(chain_scope(intent), intent.audit_count, intent.audit_head)
    if not intent.audit_head_signature:
        return [chain.ChainProblem(intent.audit_count, "signature",
                                   "the head carries no platform signature")]
    if not seal.message_signed(identity, message, intent.audit_head_signature):
        return [chain.ChainProblem(intent.audit_count, "signature",
                                   "the head's platform signature does not match it: the trail "
                                   "or its head was rewritten outside Roadshow")]
    return []


def sealed_trail_problems(sealed: bytes, identity: seal.SealIdentity, scope: str | None,
                          entries: Sequence[tuple[chain.ChainEntry, str]] | None = None,
                          ) -> list[chain.ChainProblem]:
    """Check a sealed PDF's own audit trail: its seal, the attached trail's chain and signed
    head, that it is the chain of ``scope`` (None: whichever the PDF names), and (given the
    database's ``entries``) that the database still holds it unchanged."""
    check = seal.check_pdf(sealed, identity)
    if not check.genuine:
        return [chain.ChainProblem(0, "sealed", f"the sealed PDF does not validate: {check.problem}")]
    attached = seal.attachment(sealed, pdf.TRAIL_ATTACHMENT)
    if attached is None:
        return [chain.ChainProblem(0, "sealed", "the sealed PDF carries no audit trail")]
    try:
        document = json.loads(attached)
        sealed_scope, sealed_entries = chain.import_trail(document)
    except ValueError as error:
        return [chain.ChainProblem(0, "sealed", f"the sealed audit trail cannot be read: {error}")]
    problems = [chain.ChainProblem(p.seq, p.kind, f"in the sealed PDF: {p.detail}")
                for p in chain.verify_chain(sealed_scope, sealed_entries,
                                            document.get("head"), document.get("count"))]
    if scope is not None and sealed_scope != scope:
        problems.append(chain.ChainProblem(0, "sealed", "the sealed PDF is another intent's"))
    if not seal.message_signed(identity, chain.head_message(sealed_scope, len(sealed_entries),
                                                            str(document.get("head"))),
                               str(document.get("head_signature") or "")):
        problems.append(chain.ChainProblem(len(sealed_entries), "sealed",
                                           "the sealed trail's head is not signed by the platform"))
    if entries is None:
        return problems
    stored = {entry.seq: (entry, digest) for entry, digest in entries}
    for entry, digest in sealed_entries:
        now = stored.get(entry.seq)
        if now is None:
            problems.append(chain.ChainProblem(entry.seq, "sealed",
                                               "sealed in the PDF but missing from the database"))
        elif now[1] != digest or chain.entry_payload(now[0]) != chain.entry_payload(entry):
            changed = sorted(k for k, v in chain.entry_payload(entry).items()
                             if chain.entry_payload(now[0]).get(k) != v)
            problems.append(chain.ChainProblem(
                entry.seq, "sealed", "differs from the sealed PDF's copy"
                + (f" ({', '.join(changed)})" if changed else " (its hash)")))
    return problems


def sealed_pdf_of(session: Session, intent: Intent) -> bytes | None:
    return session.scalar(of_intent(select(Intent.sealed_pdf).where(Intent.id == intent.id),
                                    intent))


#: later stages' checks of what they appended to a trail (outcomes: that each confirmed
#: milestone still reads as its entry records): ``check(session, intent, rows)`` returns problems
TRAIL_CHECKS: list[Callable[[Session, Intent, list[AuditEntry]], list[chain.ChainProblem]]] = []


def verify_intent_chain(session: Session, intent: Intent, *,
                        against_seal: bool = True) -> list[chain.ChainProblem]:
    """The chain's links and hashes, its head and the head's platform signature, and for a
    sealed intent (unless ``against_seal`` is off, for a quick look on a page) the trail
    sealed in its PDF against the database's."""
    rows = trail_entries(session, intent)
    entries = [(chain_entry(e), e.entry_hash) for e in rows]
    problems = chain.verify_chain(chain_scope(intent), entries,
                                  head_hash=intent.audit_head, head_count=intent.audit_count)
    for check in TRAIL_CHECKS:
        problems += check(session, intent, rows)
    identity = seal_identity()
    problems += _head_problems(intent, identity)
    if intent.sealed_sha256 and against_seal:
        sealed = sealed_pdf_of(session, intent)
        if sealed is None or canonical.sha256_hex(sealed) != intent.sealed_sha256:
            problems.append(chain.ChainProblem(0, "sealed",
                                               "the stored sealed PDF is not the one recorded"))
        if sealed is not None:
            problems += sealed_trail_problems(sealed, identity, chain_scope(intent), entries)
    return problems


def verify_all_chains(session: Session) -> dict[Intent, list[chain.ChainProblem]]:
    return {intent: verify_intent_chain(session, intent)
            for intent in session.scalars(unscoped(
                select(Intent).order_by(Intent.id), "the operator checks every intent's chain"))}


def adopt_unsigned_heads(session: Session) -> list[Intent]:
    """Sign the heads of intact chains recorded before heads were signed (an operator's
    explicit act, after checking the trails); a chain with any other problem is left alone."""
    adopted = []
    for intent in session.scalars(unscoped(
            select(Intent).where(Intent.audit_head_signature == "").order_by(Intent.id),
            "the operator adopts the unsigned heads of every event's intents")):
        problems = verify_intent_chain(session, intent)
        if problems and all(p.kind == "signature" for p in problems):
            _sign_head(intent)
            adopted.append(intent)
    return adopted
