"""Users and the invitations that bring judges and recruiters in."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask import has_app_context
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from roadshow.accounts.roles import Role
from roadshow.config import DEFAULT_TIMEZONE
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.i18n import is_chinese

if TYPE_CHECKING:
    from roadshow.districts.models import District
    from roadshow.events.models import Event
    from roadshow.organisations.models import Organisation


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


role_type = Enum(Role, name="role", values_callable=lambda roles: [r.value for r in roles],
                 validate_strings=True)


def _reader_reads_chinese() -> bool:
    if not has_app_context():
        return False
    return is_chinese()


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(role_type, index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_native: Mapped[str | None] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    district_id: Mapped[int | None] = mapped_column(
        ForeignKey("districts.id", ondelete="SET NULL"), index=True
    )
    email_verified_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    #: rotated on password change / reset so other sessions end
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: platform administrator (organisations, alliances, outbox, all jobs); not a ``role``: an
    #: administrator's account keeps its kind (``roadshow admin grant|revoke <email>``)
    is_platform_admin: Mapped[bool] = mapped_column(default=False, server_default=false())

    district: Mapped[District | None] = relationship(back_populates="recruiters")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"

    # Flask-Login: the id carries the session token so rotating it logs other sessions out.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def display_name(self) -> str:
        """The name in the reader's script: the Chinese name for Chinese readers, when there is one."""
        if self.name_native and _reader_reads_chinese():
            return self.name_native
        return self.name

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()


class Invitation(db.Model):
    """An invitation to an organisation (its organizers) or to one event (judges, recruiters with
    their district, the event's organizer); single use, expiring. Exactly one target is set."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("(organisation_id IS NULL) <> (event_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(role_type)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    nonce: Mapped[str] = mapped_column(String(43), unique=True, default=lambda: secrets.token_urlsafe(24))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))

    district: Mapped[District | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship("Organisation")
    event: Mapped[Event | None] = relationship("Event")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
