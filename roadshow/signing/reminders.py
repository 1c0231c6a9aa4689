"""Reminding the signers whose turn it is, expiring overdue intents (the CLI's run), and
withdrawing an intent."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.mail.outbox import queue_email
from roadshow.scoping import unscoped
from roadshow.signing.audit_trail import RequestInfo, audit, lock_intent
from roadshow.signing.drafting import notify_turn
from roadshow.signing.exceptions import ForbiddenError, SigningError
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent, Signer
from roadshow.signing.parties_and_turns import can_manage, grant_of, people_to_tell
from roadshow.signing.signatures import expire_if_due

REMIND_EVERY = timedelta(hours=24)


def remind(session: Session, intent: Intent, actor: User | None, info: RequestInfo) -> list[Signer]:
    if actor is not None and not can_manage(grant_of(session, actor, intent.application.event), intent):
        raise ForbiddenError(_("You may not send reminders for this intent."))
    lock_intent(session, intent)
    if expire_if_due(session, intent):
        raise SigningError(_("Signing of this intent has expired; no reminder was sent."))
    if intent.state != IntentState.OUT_FOR_SIGNATURE:
        raise SigningError(_("Signing of this intent is closed."))
    sent = notify_turn(session, intent, reminder=True)
    intent.last_reminded_at = utcnow()
    audit(session, intent, "reminded", actor, info,
          signers=",".join(str(s.position) for s in sent))
    return sent


def remind_due(session: Session, now: datetime | None = None) -> tuple[int, int]:
    """For the CLI: expire overdue intents, remind signers not reminded for a day.

    Returns ``(reminded, expired)``.
    """
    now = now or utcnow()
    reminded = expired = 0
    open_intents = session.scalars(unscoped(
        select(Intent).where(Intent.state == IntentState.OUT_FOR_SIGNATURE).order_by(Intent.id),
        "the reminder run looks at open intents of every event")).all()
    for intent in open_intents:
        if expire_if_due(session, intent, now):
            expired += 1
            continue
        last = intent.last_reminded_at or intent.sent_at
        if last is not None and now - last < REMIND_EVERY:
            continue
        reminded += len(remind(session, intent, None, RequestInfo.system()))
    return reminded, expired


def cancel(session: Session, intent: Intent, actor: User, info: RequestInfo, reason: str) -> None:
    if not can_manage(grant_of(session, actor, intent.application.event), intent):
        raise ForbiddenError(_("You may not withdraw this intent."))
    lock_intent(session, intent)
    if intent.state not in (IntentState.DRAFT, IntentState.OUT_FOR_SIGNATURE):
        raise SigningError(_("Only drafts and intents out for signature can be withdrawn."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise SigningError(_("Please give a reason for withdrawing the intent."))
    was_sent = intent.state == IntentState.OUT_FOR_SIGNATURE
    intent.state = IntentState.CANCELLED
    intent.closed_at = utcnow()
    intent.close_reason = reason[:2000]
    audit(session, intent, "cancelled", actor, info, reason=reason[:500])
    if was_sent:
        for other in people_to_tell(intent, exclude=actor):
            queue_email(other, "signing/mail/cancelled",
                        {"intent": intent, "by": actor, "reason": reason}, session=session)
