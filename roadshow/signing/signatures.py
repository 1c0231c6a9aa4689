"""Signing an intent: expiry, views of the document, one-time codes, the signer's checks
(their turn, password, code, typed name, consent, drawn signature), signing and declining.

Refusals raise :class:`~roadshow.signing.exceptions.SigningError`; a wrong code is counted and
recorded, so the caller commits even then.
"""

from __future__ import annotations

import hmac
import io
import secrets
import unicodedata
import warnings
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.mail.outbox import queue_email
from roadshow.signing import codes, document, flow
from roadshow.signing.audit_trail import (
    RequestInfo,
    audit,
    keep_last_update,
    lock_intent,
    of_intent,
)
from roadshow.signing.completion import complete
from roadshow.signing.drafting import notify_turn
from roadshow.signing.exceptions import SigningError
from roadshow.signing.flow import IntentState, SignerState
from roadshow.signing.models import AuditEntry, Intent, OneTimeCode, Signer
from roadshow.signing.parties_and_turns import people_to_tell, signer_slots, turn_message, turn_of

CODE_LIFETIME = codes.CODE_LIFETIME  # the views and the emails name it
CODE_MAX_ATTEMPTS = codes.CODE_MAX_ATTEMPTS
VIEW_RECORD_EVERY = timedelta(minutes=30)
MAX_SIGNATURE_BYTES = 200_000


def expire_if_due(session: Session, intent: Intent, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if intent.state == IntentState.OUT_FOR_SIGNATURE and intent.expires_at and intent.expires_at <= now:
        intent.state = IntentState.EXPIRED
        intent.closed_at = now
        audit(session, intent, "expired", None, RequestInfo.system(),
              expires_at=intent.expires_at.isoformat())
        return True
    return False


def record_view(session: Session, intent: Intent, actor: User, info: RequestInfo) -> bool:
    """Note that ``actor`` viewed the document (at most every half hour per person)."""
    now = utcnow()
    for signer in intent.signers:
        if signer.user_id == actor.id and signer.first_viewed_at is None:
            signer.first_viewed_at = now
    last = session.scalar(of_intent(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.intent_id == intent.id, AuditEntry.action == "viewed",
            AuditEntry.actor_id == actor.id,
        ), intent))
    if last is not None and now - last < VIEW_RECORD_EVERY:
        return False
    lock_intent(session, intent)
    audit(session, intent, "viewed", actor, info)
    keep_last_update(intent)
    return True


def _code_hash(signer_id: int, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, f"signing:{signer_id}:{code}".encode(), "sha256").hexdigest()


def send_code(session: Session, intent: Intent, actor: User, info: RequestInfo) -> OneTimeCode:
    """Email a fresh one-time code to the signer whose turn it is; earlier codes stop working."""
    lock_intent(session, intent)
    try:
        signer = turn_of(intent, actor)
    except flow.NotYourTurn as refusal:
        raise SigningError(turn_message(refusal.reason)) from None
    now = utcnow()
    if codes.too_soon_to_resend(signer.codes[-1] if signer.codes else None, now):
        raise SigningError(_("A code was sent a few seconds ago. Please check your inbox (and "
                             "spam folder) before asking for another one."))
    for old in signer.codes:
        if old.used_at is None and old.revoked_at is None:
            old.revoked_at = now
    code = codes.generate(secrets.randbelow)
    row = OneTimeCode(signer=signer, code_hash="", created_at=now, expires_at=now + CODE_LIFETIME)
    session.add(row)
    session.flush()
    row.code_hash = _code_hash(signer.id, code)
    queue_email(actor, "signing/mail/code",
                {"intent": intent, "code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60),
                 "content_sha256": intent.content_sha256}, session=session)
    audit(session, intent, "code_sent", actor, info, signer=signer.position)
    return row


def _code_refusal_message(reason: str) -> str:
    if reason == "none_sent":
        return _("Please ask for a confirmation code first; we send it to your email address.")
    if reason == "expired":
        return _("This code has expired (codes are valid for %(minutes)d minutes). "
                 "Please ask for a new code.", minutes=int(CODE_LIFETIME.total_seconds() // 60))
    if reason == "too_many":
        return _("Too many wrong codes. Please ask for a new code.")
    return _("Please type the %(digits)d-digit code from the latest email we sent you.",
             digits=codes.CODE_DIGITS)


def _check_code(session: Session, intent: Intent, signer: Signer, code: str, actor: User,
                info: RequestInfo) -> OneTimeCode:
    """The matching live code, or :class:`SigningError` (wrong attempts are counted)."""
    code = codes.normalise(code)
    row = codes.live_code(signer.codes)
    now = utcnow()
    try:
        codes.check_usable(row, code, now)
    except codes.CodeRefused as refusal:
        raise SigningError(_code_refusal_message(refusal.reason)) from None
    assert row is not None  # check_usable refuses a missing code
    if not hmac.compare_digest(row.code_hash, _code_hash(signer.id, code)):
        row.attempts += 1
        audit(session, intent, "code_refused", actor, info, signer=signer.position,
              attempt=row.attempts)
        left = codes.attempts_left(row.attempts)
        if left == 0:
            row.revoked_at = now
            raise SigningError(_("The code is not correct, and that was the last attempt. "
                                 "Please ask for a new code."))
        raise SigningError(ngettext("The code is not correct. Check the latest email from us and try "
                                    "again (%(left)d attempt left).",
                                    "The code is not correct. Check the latest email from us and try "
                                    "again (%(left)d attempts left).", left, left=left))
    return row


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def name_matches(user: User, typed: str) -> bool:
    wanted = {_squash(user.name)}
    if user.name_native:
        wanted.add(_squash(user.name_native))
    return bool(typed.strip()) and _squash(typed) in wanted


def check_signature_png(data: bytes | None) -> bytes | None:
    """A drawn signature: a small PNG image, or nothing."""
    if not data:
        return None
    if len(data) > MAX_SIGNATURE_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SigningError(_("The drawn signature could not be read. Clear it and draw it "
                             "again, or sign with your typed name only."))
    from PIL import Image, UnidentifiedImageError

    try:
        # a header claiming billions of pixels made Pillow raise DecompressionBombError (a 500)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise SigningError(_("The drawn signature is too large. Clear it and draw it again.")
                           ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise SigningError(_("The drawn signature could not be read. Clear it and draw it "
                             "again, or sign with your typed name only.")) from None
    if width > 2000 or height > 1000:
        raise SigningError(_("The drawn signature is too large. Clear it and draw it again."))
    return data


def sign(session: Session, intent: Intent, actor: User, info: RequestInfo, *, password: str,
         code: str, typed_name: str, consent: bool, signature_png: bytes | None,
         locale: str = "en") -> Signer:
    """Sign as ``actor``: their turn, their password, a live code, their name, their consent.

    Refusals raise :class:`SigningError`; a wrong code is counted and recorded, so the caller
    commits even then.
    """
    lock_intent(session, intent)
    expire_if_due(session, intent)
    try:
        signer = turn_of(intent, actor)
    except flow.NotYourTurn as refusal:
        raise SigningError(turn_message(refusal.reason)) from None
    if not actor.check_password(password or ""):
        raise SigningError(_("The password is not correct. Please enter the password you sign "
                             "in with."))
    if not consent:
        raise SigningError(_("Please tick the box to consent to the statement before signing."))
    if not name_matches(actor, typed_name or ""):
        raise SigningError(_("Please type your full name exactly as it appears on your account: "
                             "%(name)s.", name=actor.name + (f" / {actor.name_native}"
                                                              if actor.name_native else "")))
    drawing = check_signature_png(signature_png)
    row = _check_code(session, intent, signer, code, actor, info)
    row.used_at = utcnow()
    return apply_signature(session, intent, signer, info, typed_name=typed_name,
                           signature_png=drawing, locale=locale)


def apply_signature(session: Session, intent: Intent, signer: Signer, info: RequestInfo, *,
                    typed_name: str, signature_png: bytes | None, locale: str = "en",
                    notify: bool = True) -> Signer:
    """Record a signature whose checks have passed (:func:`sign`; the demo calls it directly)
    and complete the intent when it is the last one."""
    now = utcnow()
    signer.state = SignerState.SIGNED
    signer.acted_at = now
    signer.typed_name = typed_name.strip()
    signer.signature_png = signature_png
    signer.consent_version = document.CONSENT_VERSION
    signer.ip = info.ip[:64]
    signer.user_agent = info.user_agent[:400]
    signer.locale = locale
    audit(session, intent, "signed", signer.user, info, signer=signer.position,
          role=signer.role.value, typed_name=signer.typed_name,
          consent_version=signer.consent_version, content_sha256=intent.content_sha256,
          drawn=bool(signature_png))
    if flow.outcome(signer_slots(intent)) == IntentState.COMPLETED:
        complete(session, intent, info, notify=notify)
    elif notify:
        notify_turn(session, intent)
    return signer


def decline(session: Session, intent: Intent, actor: User, info: RequestInfo, *, reason: str,
            password: str, notify: bool = True) -> Signer:
    lock_intent(session, intent)
    expire_if_due(session, intent)
    try:
        signer = turn_of(intent, actor)
    except flow.NotYourTurn as refusal:
        raise SigningError(turn_message(refusal.reason)) from None
    if not actor.check_password(password or ""):
        raise SigningError(_("The password is not correct. Please enter the password you sign "
                             "in with."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise SigningError(_("Please tell the other parties why you decline (a sentence is "
                             "enough)."))
    return apply_decline(session, intent, signer, info, reason=reason, notify=notify)


def apply_decline(session: Session, intent: Intent, signer: Signer, info: RequestInfo, *,
                  reason: str, notify: bool = True) -> Signer:
    """Record a refusal whose checks have passed (:func:`decline`; the demo calls it directly)."""
    now = utcnow()
    signer.state = SignerState.DECLINED
    signer.acted_at = now
    signer.decline_reason = reason[:2000]
    signer.ip = info.ip[:64]
    signer.user_agent = info.user_agent[:400]
    intent.state = IntentState.DECLINED
    intent.closed_at = now
    intent.close_reason = reason[:2000]
    audit(session, intent, "declined", signer.user, info, signer=signer.position,
          reason=reason[:500])
    for other in people_to_tell(intent, exclude=signer.user) if notify else ():
        queue_email(other, "signing/mail/declined",
                    {"intent": intent, "by": signer.user, "reason": reason}, session=session)
    return signer
