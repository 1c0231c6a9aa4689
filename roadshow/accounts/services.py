"""Account operations: loading, authenticating, creating users. No request access here."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from roadshow.accounts.models import Invitation, User
from roadshow.accounts.passwords import MIN_LENGTH, Weakness, weakness
from roadshow.accounts.roles import Role
from roadshow.accounts.signals import user_access_changed, user_logged_out
from roadshow.accounts.tokens import (
    INVITATION,
    PASSWORD_RESET,
    RESET_MAX_AGE,
    VERIFY_EMAIL,
    VERIFY_MAX_AGE,
    LinkError,
    Tokens,
    password_fingerprint,
)
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.i18n import is_valid_timezone
from roadshow.mail.outbox import Recipient, queue_email

#: who lists the districts an invited recruiter may work for: functions of the session giving
#: ``(district id, name in the reader's language)`` pairs. roadshow.districts adds its own when it
#: loads: districts build on accounts, so accounts never import them.
DISTRICT_LISTERS: list[Callable[[Session], list[tuple[int, str]]]] = []


def district_options(session: Session) -> list[tuple[int, str]]:
    return [option for lister in DISTRICT_LISTERS for option in lister(session)]


def password_problem(password: str, email: str = "") -> str | None:
    """Why the password is too weak, in the reader's language, or None when it is acceptable."""
    found = weakness(password, email)
    if found is Weakness.TOO_SHORT:
        return _("Use at least %(n)d characters for your password.", n=MIN_LENGTH)
    if found is Weakness.EASY_TO_GUESS:
        return _("This password is too easy to guess. Please choose another.")
    if found is Weakness.CONTAINS_EMAIL:
        return _("Your password must not contain your email address.")
    if found is Weakness.ONE_KIND:
        return _("Mix letters with digits or symbols in your password.")
    return None


class AccountError(ValueError):
    """A refused account operation; ``str(error)`` is a translated message for the user and
    ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<session token>"``; a rotated token ends the session."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token or not user.active:
        return None
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


@cache
def _unknown_account_hash() -> str:
    """A hash made as every real one is (same method, same cost), of a password nobody knows."""
    return generate_password_hash(secrets.token_urlsafe(32))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user with this email and password, else None. An unknown email costs the same
    password check as a known one, so the answer's timing does not tell which addresses have
    accounts."""
    user = find_user_by_email(session, email)
    if user is None:
        check_password_hash(_unknown_account_hash(), password)
        return None
    if not user.check_password(password):
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: Role,
    name: str,
    name_native: str | None = None,
    locale: str = "en",
    timezone: str = "Asia/Shanghai",
    district_id: int | None = None,
    verified: bool = False,
) -> User:
    if find_user_by_email(session, email) is not None:
        raise AccountError(_("An account with this email address already exists."), "email")
    user = User(
        email=normalise_email(email), role=role, name=name.strip(), name_native=name_native,
        locale=locale, timezone=timezone, district_id=district_id,
        email_verified_at=utcnow() if verified else None,
    )
    user.set_password(password)
    session.add(user)
    return user


# --- links we email ------------------------------------------------------------------------

def _tokens(secret_key: str) -> Any:
    return Tokens(secret_key)


def _link(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}"


def verification_token(secret_key: str, user: User) -> str:
    return _tokens(secret_key).make(VERIFY_EMAIL, {"u": user.id, "e": user.email})


def send_verification(session: Session, user: User, *, secret_key: str, base_url: str) -> None:
    token = verification_token(secret_key, user)
    queue_email(user, "accounts/mail/verify_email",
                {"user": user, "link": _link(base_url, f"/verify/{token}")}, session=session)


def register_applicant(
    session: Session, *, email: str, password: str, name: str, name_native: str | None,
    locale: str, timezone: str, secret_key: str, base_url: str,
) -> User | None:
    """Self-registration: an unverified applicant and the mail with the confirmation link.

    For an address that already has an account nothing is created: its owner is mailed how to
    sign in or choose a new password, and None is returned. The caller answers both the same,
    so the form does not tell anyone which addresses have accounts.
    """
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    if not is_valid_timezone(timezone):
        raise AccountError(_("Please choose a time zone from the list."), "timezone")
    existing = find_user_by_email(session, email)
    if existing is not None:
        generate_password_hash(password)  # the work a new account costs, so timing tells nothing
        if existing.active:
            _mail_registration_attempt(session, existing, base_url=base_url)
        return None
    user = create_user(session, email=email, password=password, role=Role.APPLICANT, name=name,
                       name_native=name_native, locale=locale, timezone=timezone)
    session.flush()
    send_verification(session, user, secret_key=secret_key, base_url=base_url)
    return user


def _mail_registration_attempt(session: Session, user: User, *, base_url: str) -> None:
    queue_email(user, "accounts/mail/registration_attempt",
                {"user": user, "login_link": _link(base_url, "/login"),
                 "reset_link": _link(base_url, f"/password/forgot?email={quote(user.email)}"),
                 "unconfirmed": user.email_verified_at is None},
                session=session)


def verify_email(session: Session, token: str, *, secret_key: str) -> tuple[User, bool]:
    """Mark the address confirmed; raises :class:`LinkError` for a bad or old link.

    Returns the user and whether this link confirmed the address just now (False when it was
    confirmed before: the link then must not sign anyone in again).
    """
    payload = _tokens(secret_key).read(VERIFY_EMAIL, token, VERIFY_MAX_AGE)
    user = session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or user.email != payload.get("e"):
        raise LinkError("invalid")
    if user.email_verified_at is not None:
        return user, False
    user.email_verified_at = utcnow()
    return user, True


def resend_verification(session: Session, email: str, *, secret_key: str, base_url: str) -> bool:
    """Send the link again to an unverified account; says nothing about other addresses."""
    user = find_user_by_email(session, email)
    if user is None or user.email_verified_at is not None or not user.active:
        return False
    send_verification(session, user, secret_key=secret_key, base_url=base_url)
    return True


# --- passwords -----------------------------------------------------------------------------

def reset_token(secret_key: str, user: User) -> str:
    return _tokens(secret_key).make(PASSWORD_RESET,
                                    {"u": user.id, "p": password_fingerprint(user.password_hash)})


def request_password_reset(session: Session, email: str, *, secret_key: str, base_url: str) -> bool:
    """Mail a reset link when the account exists; the caller answers the same either way."""
    user = find_user_by_email(session, email)
    if user is None or not user.active:
        return False
    token = reset_token(secret_key, user)
    queue_email(user, "accounts/mail/password_reset",
                {"user": user, "link": _link(base_url, f"/password/reset/{token}")}, session=session)
    return True


def user_for_reset(session: Session, token: str, *, secret_key: str) -> User:
    payload = _tokens(secret_key).read(PASSWORD_RESET, token, RESET_MAX_AGE)
    user = session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or not user.active:
        raise LinkError("invalid")
    if payload.get("p") != password_fingerprint(user.password_hash):
        raise LinkError("used")
    return user


def end_sessions(user: User) -> None:
    """Sign the user out on every device: the session token in each session cookie and
    remember-me cookie, copies included, stops matching. Commit, then :func:`announce_signed_out`."""
    user.rotate_session_token()


def announce_signed_out(user_id: int) -> None:
    """After the commit: other domains end what the user still holds open (the live rooms
    disconnect their sockets on every process)."""
    user_logged_out.send(current_app._get_current_object(), user_id=user_id)  # type: ignore[attr-defined]


def set_new_password(user: User, password: str) -> None:
    """Set a password (after the rules passed); other sessions of the user end."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.set_password(password)
    user.rotate_session_token()


def reset_password(session: Session, token: str, password: str, *, secret_key: str) -> User:
    user = user_for_reset(session, token, secret_key=secret_key)
    set_new_password(user, password)
    # whoever holds the link reads the mailbox, so the address is confirmed too
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise AccountError(_("Your current password is not correct."), "current")
    set_new_password(user, new)


# --- invitations ---------------------------------------------------------------------------

class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REVOKED = "revoked"


def invitation_status(invitation: Invitation, now: datetime | None = None) -> InvitationStatus:
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.expires_at <= (now or utcnow()):
        return InvitationStatus.EXPIRED
    return InvitationStatus.PENDING


INVITABLE_ROLES = (Role.JUDGE, Role.RECRUITER)


def invitation_token(secret_key: str, invitation: Invitation) -> str:
    return _tokens(secret_key).make(INVITATION, {"i": invitation.id, "n": invitation.nonce})


def _send_invitation(session: Session, invitation: Invitation, *, secret_key: str,
                     base_url: str) -> None:
    token = invitation_token(secret_key, invitation)
    queue_email(Recipient(invitation.email, invitation.locale, "Asia/Shanghai"),
                "accounts/mail/invitation",
                {"invitation": invitation, "link": _link(base_url, f"/invitations/{token}")},
                session=session)


def invite(
    session: Session, actor: User, *, email: str, name: str, role: Role, district_id: int | None,
    locale: str, max_age_days: int, secret_key: str, base_url: str,
) -> Invitation:
    if role not in INVITABLE_ROLES:
        raise AccountError(_("Only judges and district recruiters are invited."), "role")
    if role == Role.RECRUITER and district_id is None:
        raise AccountError(_("Choose the district this recruiter works for."), "district")
    if find_user_by_email(session, email) is not None:
        raise AccountError(_("An account with this email address already exists."), "email")
    for other in session.scalars(select(Invitation).where(
            func.lower(Invitation.email) == normalise_email(email))):
        if invitation_status(other) == InvitationStatus.PENDING:
            raise AccountError(_("This address already has an open invitation. Resend it from the list instead."), "email")
    invitation = Invitation(
        email=normalise_email(email), name=name.strip(), role=role,
        district_id=district_id if role == Role.RECRUITER else None, locale=locale,
        invited_by=actor, expires_at=utcnow() + timedelta(days=max_age_days),
    )
    session.add(invitation)
    session.flush()
    _send_invitation(session, invitation, secret_key=secret_key, base_url=base_url)
    return invitation


def resend_invitation(session: Session, invitation: Invitation, *, max_age_days: int,
                      secret_key: str, base_url: str) -> None:
    """A new link (the old one stops working) with a fresh expiry."""
    if invitation_status(invitation) in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise AccountError(_("This invitation was already accepted or revoked."))
    invitation.nonce = new_nonce()
    invitation.expires_at = utcnow() + timedelta(days=max_age_days)
    _send_invitation(session, invitation, secret_key=secret_key, base_url=base_url)


def revoke_invitation(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise AccountError(_("This invitation was already accepted; deactivate the account instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()


def open_invitation(session: Session, token: str, *, secret_key: str, max_age_days: int) -> Invitation:
    """The pending invitation behind a link; :class:`LinkError` names why it cannot open."""
    try:
        payload = _tokens(secret_key).read(INVITATION, token, max_age_days * 24 * 3600)
    except LinkError as problem:
        if problem.reason != "expired":
            raise
        payload = _tokens(secret_key).read(INVITATION, token, 10 * 365 * 24 * 3600)
        invitation = session.get(Invitation, payload.get("i"))
        _raise_for_state(invitation, payload)
        raise
    invitation = session.get(Invitation, payload.get("i")) if isinstance(payload.get("i"), int) else None
    _raise_for_state(invitation, payload)
    assert invitation is not None
    return invitation


def _raise_for_state(invitation: Invitation | None, payload: dict[str, Any]) -> None:
    if invitation is None:
        raise LinkError("invalid")
    status = invitation_status(invitation)
    if status == InvitationStatus.ACCEPTED:
        raise LinkError("used")
    if status == InvitationStatus.REVOKED:
        raise LinkError("revoked")
    if invitation.nonce != payload.get("n"):
        raise LinkError("replaced")
    if status == InvitationStatus.EXPIRED:
        raise LinkError("expired")


def accept_invitation(
    session: Session, invitation: Invitation, *, name: str, name_native: str | None,
    password: str, locale: str, timezone: str,
) -> User:
    problem = password_problem(password, invitation.email)
    if problem:
        raise AccountError(problem, "password")
    if not is_valid_timezone(timezone):
        raise AccountError(_("Please choose a time zone from the list."), "timezone")
    user = create_user(session, email=invitation.email, password=password, role=invitation.role,
                       name=name, name_native=name_native, locale=locale, timezone=timezone,
                       district_id=invitation.district_id, verified=True)
    invitation.accepted_at = utcnow()
    return user


def invitations(session: Session) -> list[Invitation]:
    return list(session.scalars(select(Invitation).order_by(Invitation.created_at.desc(),
                                                             Invitation.id.desc())))


# --- people (organizers manage accounts) ----------------------------------------------------

def people(session: Session, *, role: Role | None = None, query: str = "", page: int = 1,
           per_page: int = 50) -> tuple[list[User], int]:
    """One page of users, filtered by role and a name/email search; and the total count."""
    statement = select(User)
    if role is not None:
        statement = statement.where(User.role == role)
    if query.strip():
        like = f"%{query.strip().lower()}%"
        statement = statement.where(func.lower(User.email).like(like)
                                    | func.lower(User.name).like(like)
                                    | func.lower(func.coalesce(User.name_native, "")).like(like))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.scalars(statement.order_by(User.role, User.name, User.id)
                           .limit(per_page).offset((max(page, 1) - 1) * per_page))
    return list(rows), total


def role_counts(session: Session) -> dict[Role, int]:
    counts = dict(session.execute(select(User.role, func.count()).group_by(User.role)).all())
    return {role: counts.get(role, 0) for role in Role}


def _notify_access_changed(user: User) -> None:
    user_access_changed.send(current_app._get_current_object(), user_id=user.id)  # type: ignore[attr-defined]


def set_active(actor: User, user: User, active: bool) -> None:
    if user.id == actor.id:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    if not active:
        user.rotate_session_token()
    _notify_access_changed(user)


def change_access(actor: User, user: User, *, role: Role, district_id: int | None) -> bool:
    """Change a user's role or district; returns whether anything changed."""
    if user.id == actor.id and role != user.role:
        raise AccountError(_("You cannot change your own role."), "role")
    if role == Role.RECRUITER and district_id is None:
        raise AccountError(_("Choose the district this recruiter works for."), "district")
    district_id = district_id if role == Role.RECRUITER else None
    if user.role == role and user.district_id == district_id:
        return False
    user.role = role
    user.district_id = district_id
    _notify_access_changed(user)
    return True
