"""Completing an intent: its PDF with the signatures and the audit trail, sealing it, telling
the parties, and announcing the completion (``intent_completed``) once it is committed."""

from __future__ import annotations

import json
import logging

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.mail.outbox import Attachment, queue_email
from roadshow.signing import canonical, chain, pdf, seal
from roadshow.signing.audit_trail import (
    RequestInfo,
    audit,
    chain_entry,
    chain_scope,
    keep_last_update,
    lock_intent,
    seal_identity,
    trail_entries,
)
from roadshow.signing.drafting import display_name, frozen_content
from roadshow.signing.flow import IntentState, SignerState
from roadshow.signing.models import Intent
from roadshow.signing.parties_and_turns import people_to_tell, role_label
from roadshow.signing.signals import intent_completed

log = logging.getLogger("roadshow.signing")
_PENDING_COMPLETIONS = "roadshow_signing_completed"


def verify_url(intent: Intent) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/verify-intent/{intent.public_id}"


def render_pdf(session: Session, intent: Intent, *, draft: bool = False) -> bytes:
    """The document as PDF (unsealed): the frozen content, signatures so far, audit trail."""
    content = frozen_content(intent)
    digest = intent.content_sha256 or canonical.content_hash(content)
    signatures = []
    for signer in intent.signers:
        if signer.state != SignerState.SIGNED or signer.acted_at is None:
            continue
        zh, en = role_label(signer.role)
        signatures.append(pdf.SignatureLine(
            position=signer.position, role_zh=zh, role_en=en, name=display_name(signer.user),
            typed_name=signer.typed_name, signed_at=signer.acted_at, ip=signer.ip,
            user_agent=signer.user_agent, consent_version=signer.consent_version,
            signature_png=signer.signature_png,
        ))
    entries = trail_entries(session, intent)
    trail = [pdf.AuditLine(e.seq, e.at, e.action, e.actor_label, e.ip, e.user_agent, e.entry_hash)
             for e in entries]
    document = chain.export_trail(chain_scope(intent),
                                  [(chain_entry(e), e.entry_hash) for e in entries],
                                  head_signature=intent.audit_head_signature)
    trail_json = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return pdf.build_pdf(content, digest, signatures, trail, verify_url(intent),
                         completed_at=intent.completed_at, draft=draft, trail_json=trail_json,
                         zone=intent.application.event.timezone)


def complete(session: Session, intent: Intent, info: RequestInfo, notify: bool = True) -> None:
    """The last signature is in: mark completed, seal the PDF, tell everyone, ring the bell."""
    now = utcnow()
    intent.state = IntentState.COMPLETED
    intent.completed_at = now
    audit(session, intent, "completed", None, info, content_sha256=intent.content_sha256)
    session.flush()
    unsealed = render_pdf(session, intent)
    sealed = seal.seal_pdf(
        unsealed, seal_identity(),
        reason=f"Roadshow intent of cooperation {intent.reference}, SHA-256 {intent.content_sha256}",
        location=current_app.config["PUBLIC_BASE_URL"],
        contact=verify_url(intent),
    )
    intent.sealed_pdf = sealed
    intent.sealed_sha256 = canonical.sha256_hex(sealed)
    intent.sealed_at = utcnow()
    audit(session, intent, "sealed", None, RequestInfo.system(), pdf_sha256=intent.sealed_sha256)
    if not notify:
        return
    for person in people_to_tell(intent):
        queue_email(person, "signing/mail/completed",
                    {"intent": intent, "verify_url": verify_url(intent)},
                    attachments=[Attachment(f"{intent.reference}.pdf", "application/pdf", sealed)],
                    session=session)
    session.info.setdefault(_PENDING_COMPLETIONS, []).append(
        {"intent_id": intent.id, "application_id": intent.application_id,
         "district_id": intent.district_id}
    )


@event.listens_for(Session, "after_commit")
def _announce_completions(session: Session) -> None:
    pending = session.info.pop(_PENDING_COMPLETIONS, [])
    if not pending:
        return
    sender = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    for kwargs in pending:
        try:
            intent_completed.send(sender, **kwargs)
        except Exception:  # a listener's failure must not undo or hide a committed signature
            log.exception("a listener of intent_completed failed for intent %s",
                          kwargs["intent_id"])


@event.listens_for(Session, "after_rollback")
def _forget_completions(session: Session) -> None:
    session.info.pop(_PENDING_COMPLETIONS, None)


def record_download(session: Session, intent: Intent, actor: User, info: RequestInfo,
                    what: str = "sealed_pdf") -> None:
    lock_intent(session, intent)
    audit(session, intent, "downloaded", actor, info, file=what)
    keep_last_update(intent)
