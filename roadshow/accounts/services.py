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
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from roadshow.accounts import directory
from roadshow.accounts.models import Invitation, User
from roadshow.accounts.passwords import MIN_LENGTH, Weakness, weakness
from roadshow.accounts.roles import Role
from roadshow.accounts.signals import invitation_accepted, user_access_changed, user_logged_out
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

#: who lists the districts an invited recruiter may work for: functions of the session and an
#: organisation's id giving ``(district id, name in the reader's language)`` pairs of its districts.
#: roadshow.districts adds its own when it loads: districts build on accounts, so accounts never
#: import them.
DISTRICT_LISTERS: list[Callable[[Session, int], list[tuple[int, str]]]] = []


def district_options(session: Session, organisation_id: int) -> list[tuple[int, str]]:
    return [option for lister in DISTRICT_LISTERS for option in lister(session, organisation_id)]


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


def signup_event(session: Session, slug: str | None) -> Any | None:
    """The published event whose apply link brought a newcomer to sign up (``?event=<slug>``):
    a row with its ``slug``, ``title_zh/en`` and ``organizer_name_zh/en``, which the sign-up email
    names; None for no or an unknown slug. Read through the schema: events build on accounts."""
    events = User.metadata.tables.get("events")
    if not slug or events is None or len(slug) > 200:
        return None
    return session.execute(
        select(events.c.id, events.c.slug, events.c.title_zh, events.c.title_en,
               events.c.organizer_name_zh, events.c.organizer_name_en)
        .where(events.c.slug == slug, events.c.published.is_(True))).first()


def send_verification(session: Session, user: User, *, secret_key: str, base_url: str,
                      event: Any | None = None) -> None:
    """The confirmation link; it leads to the event's application form when an apply link of
    ``event`` brought the person, and the email names that event."""
    token = verification_token(secret_key, user)
    path = f"/verify/{token}" + (f"?event={quote(event.slug)}" if event is not None else "")
    queue_email(user, "accounts/mail/verify_email",
                {"user": user, "link": _link(base_url, path), "event": event}, session=session)


def register_applicant(
    session: Session, *, email: str, password: str, name: str, name_native: str | None,
    locale: str, timezone: str, secret_key: str, base_url: str, event: Any | None = None,
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
    send_verification(session, user, secret_key=secret_key, base_url=base_url, event=event)
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


#: whom an organisation invites (its organizers) and whom an event invites (judges, recruiters
#: for one district, organizers of that event alone, such as a liaison station's officer)
ORGANISATION_ROLES = (Role.ORGANIZER,)
EVENT_ROLES = (Role.JUDGE, Role.RECRUITER, Role.ORGANIZER)
INVITABLE_ROLES = (Role.JUDGE, Role.RECRUITER, Role.ORGANIZER)


def invitation_token(secret_key: str, invitation: Invitation) -> str:
    return _tokens(secret_key).make(INVITATION, {"i": invitation.id, "n": invitation.nonce})


def _send_invitation(session: Session, invitation: Invitation, *, secret_key: str,
                     base_url: str) -> None:
    token = invitation_token(secret_key, invitation)
    queue_email(Recipient(invitation.email, invitation.locale, "Asia/Shanghai"),
                "accounts/mail/invitation",
                {"invitation": invitation, "link": _link(base_url, f"/invitations/{token}"),
                 "target": directory.target_of(session, invitation)},
                session=session)


def invite(
    session: Session, actor: User, *, email: str, name: str, role: Role, district_id: int | None,
    locale: str, max_age_days: int, secret_key: str, base_url: str,
    organisation_id: int | None = None, event_id: int | None = None,
    district_ids: frozenset[int] | None = None,
) -> Invitation:
    """Invite someone to an organisation (as one of its organizers) or to one event (as a judge,
    a recruiter for one of ``district_ids``, or an organizer of that event alone). Someone who
    already has an account is invited too: they accept signed in, and keep their account."""
    if (organisation_id is None) == (event_id is None):
        raise ValueError("an invitation names exactly one organisation or one event")
    allowed = ORGANISATION_ROLES if organisation_id is not None else EVENT_ROLES
    if role not in allowed:
        raise AccountError(_("Only organizers are invited to an office; judges and district "
                             "recruiters are invited to an event.") if organisation_id is not None
                           else _("Choose a role from the list."), "role")
    if role == Role.RECRUITER and district_id is None:
        raise AccountError(_("Choose the district this recruiter works for."), "district")
    if role == Role.RECRUITER and district_ids is not None and district_id not in district_ids:
        raise AccountError(_("Choose a district of this event."), "district")
    address = normalise_email(email)
    same_target = (Invitation.event_id == event_id if event_id is not None
                   else Invitation.organisation_id == organisation_id)
    for other in session.scalars(select(Invitation).where(func.lower(Invitation.email) == address,
                                                          same_target)):
        if invitation_status(other) == InvitationStatus.PENDING:
            raise AccountError(_("This address already has an open invitation. Resend it from the list instead."), "email")
    invitation = Invitation(
        email=address, name=name.strip(), role=role,
        district_id=district_id if role == Role.RECRUITER else None, locale=locale,
        organisation_id=organisation_id, event_id=event_id,
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


def _grant(session: Session, invitation: Invitation, user: User) -> None:
    """What the invitation names becomes the user's (a membership or an event role: the
    organisations domain answers the signal), and the invitation is used up."""
    if not invitation_accepted.receivers:
        raise RuntimeError("nothing grants what an accepted invitation names")
    invitation.accepted_at = utcnow()
    session.flush()
    try:
        invitation_accepted.send(current_app._get_current_object(),  # type: ignore[attr-defined]
                                 session=session, invitation=invitation, user=user)
    except ValueError as refused:  # e.g. the person applied to the event: not also its staff
        raise AccountError(str(refused)) from None
    _notify_access_changed(user)


def accept_invitation(
    session: Session, invitation: Invitation, *, name: str, name_native: str | None,
    password: str, locale: str, timezone: str,
) -> User:
    """A new account for the invited address, confirmed (the link came to it), holding what
    the invitation names."""
    problem = password_problem(password, invitation.email)
    if problem:
        raise AccountError(problem, "password")
    if not is_valid_timezone(timezone):
        raise AccountError(_("Please choose a time zone from the list."), "timezone")
    user = create_user(session, email=invitation.email, password=password, role=invitation.role,
                       name=name, name_native=name_native, locale=locale, timezone=timezone,
                       verified=True)
    session.flush()
    _grant(session, invitation, user)
    return user


def accept_as(session: Session, invitation: Invitation, user: User) -> None:
    """An existing account accepts an invitation sent to its own address (signed in)."""
    if normalise_email(user.email) != normalise_email(invitation.email):
        raise AccountError(_("This invitation was sent to %(email)s. Sign out and sign in with "
                             "that address to accept it.", email=invitation.email))
    if not user.active:
        raise AccountError(_("This account has been deactivated. Please contact the organizer."))
    _grant(session, invitation, user)


def invitations(session: Session, *, organisation_id: int | None = None,
                event_ids: list[int] | None = None) -> list[Invitation]:
    """Invitations to the organisation, or to any of ``event_ids`` (its events), newest first."""
    conditions = []
    if organisation_id is not None:
        conditions.append(Invitation.organisation_id == organisation_id)
    if event_ids:
        conditions.append(Invitation.event_id.in_(event_ids))
    if not conditions:
        return []
    return list(session.scalars(select(Invitation).where(or_(*conditions))
                                .order_by(Invitation.created_at.desc(), Invitation.id.desc())))


# --- people (organizers manage accounts) ----------------------------------------------------

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


def revoke_event_role(session: Session, actor: User, event_id: int, row_id: int,
                      user: User | None) -> None:
    """Take back one role of one event (the row of ``event_roles``); the person keeps their
    account and whatever else they hold. An organizer cannot remove their own organizer role."""
    found = directory.event_role_row(session, event_id, row_id)
    if found is None:
        raise AccountError(_("This role was already revoked."))
    user_id, role = found
    if user_id == actor.id and role == Role.ORGANIZER:
        raise AccountError(_("You cannot change your own role."), "role")
    directory.delete_event_role(session, event_id, row_id)
    if user is not None:
        _notify_access_changed(user)
