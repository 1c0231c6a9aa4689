"""Account operations: loading, authenticating, creating users. No request access here."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db


class AccountError(ValueError):
    """A refused account operation; ``str(error)`` is a translated message for the user."""


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


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user_by_email(session, email)
    if user is None or not user.check_password(password):
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
    from flask_babel import gettext as _

    if find_user_by_email(session, email) is not None:
        raise AccountError(_("An account with this email address already exists."))
    user = User(
        email=normalise_email(email), role=role, name=name.strip(), name_native=name_native,
        locale=locale, timezone=timezone, district_id=district_id,
        email_verified_at=utcnow() if verified else None,
    )
    user.set_password(password)
    session.add(user)
    return user
