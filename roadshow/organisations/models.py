"""Talent offices (organisations), their members, per-event roles and alliances of offices
(issue 13, docs/design/many-events.md §1).

An organisation runs events and owns districts; its ``organizer`` members organise all of its
events. Judges, recruiters and the organizer of a single event hold an :class:`EventRole` in that
event only. Offices join alliances and share, row by row, a joint event, an event's report or
their judge pool with the other members.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.config import DEFAULT_TIMEZONE
from roadshow.db import utcnow
from roadshow.extensions import db

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.districts.models import District
    from roadshow.events.models import Event


class OrganisationKind(StrEnum):
    """What kind of office an organisation is."""

    CITY_OFFICE = "city_office"
    COUNTY_OFFICE = "county_office"
    UNIVERSITY_OFFICE = "university_office"


class OrganisationRole(StrEnum):
    """What a member does for the whole organisation (issue 14 adds station roles)."""

    ORGANIZER = "organizer"


class EventRoleKind(StrEnum):
    """The staff roles a person holds in one event; values equal :class:`Role`'s."""

    ORGANIZER = "organizer"
    JUDGE = "judge"
    RECRUITER = "recruiter"


class ShareKind(StrEnum):
    """What an alliance member shares with the other members."""

    JOINT_EVENT = "joint_event"
    EVENT_REPORT = "event_report"
    JUDGE_POOL = "judge_pool"


def _values(kinds: type[StrEnum]) -> list[str]:
    return [kind.value for kind in kinds]


organisation_kind_type = Enum(OrganisationKind, name="organisation_kind", values_callable=_values,
                              validate_strings=True)
organisation_role_type = Enum(OrganisationRole, name="organisation_role", values_callable=_values,
                              validate_strings=True)
event_role_type = Enum(EventRoleKind, name="event_role", values_callable=_values,
                       validate_strings=True)
share_kind_type = Enum(ShareKind, name="share_kind", values_callable=_values,
                       validate_strings=True)


class Organisation(db.Model):
    """A talent office: runs events, owns districts, has organizer members."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(organisation_kind_type)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: added after the tables on PostgreSQL: users -> districts -> organisations -> users is a cycle
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", use_alter=True))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    members: Mapped[list[OrganisationMember]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True)
    events: Mapped[list[Event]] = relationship(back_populates="organisation")
    districts: Mapped[list[District]] = relationship(back_populates="organisation")
    alliance_memberships: Mapped[list[AllianceMember]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class OrganisationMember(db.Model):
    """A person's role in a whole organisation (``organizer``: every event of the office)."""

    __tablename__ = "organisation_members"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[OrganisationRole] = mapped_column(organisation_role_type)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])

    def __repr__(self) -> str:
        return f"<OrganisationMember {self.organisation_id} {self.user_id} {self.role}>"


class EventRole(db.Model):
    """A person's staff role in one event; a recruiter's row carries their district."""

    __tablename__ = "event_roles"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", "role"),
        CheckConstraint("role = 'recruiter' OR district_id IS NULL",
                        name="district_only_for_recruiters"),
        Index("ix_event_roles_event_id_role", "event_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[EventRoleKind] = mapped_column(event_role_type)
    district_id: Mapped[int | None] = mapped_column(
        ForeignKey("districts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship(back_populates="roles")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    district: Mapped[District | None] = relationship()
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])

    def __repr__(self) -> str:
        return f"<EventRole {self.event_id} {self.user_id} {self.role}>"


class Alliance(db.Model):
    """Offices that work together: joint events, shared reports, a shared judge pool."""

    __tablename__ = "alliances"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[AllianceMember]] = relationship(
        back_populates="alliance", cascade="all, delete-orphan", passive_deletes=True)
    shares: Mapped[list[AllianceShare]] = relationship(
        back_populates="alliance", cascade="all, delete-orphan", passive_deletes=True,
        order_by="AllianceShare.created_at")

    def __repr__(self) -> str:
        return f"<Alliance {self.slug}>"


class AllianceMember(db.Model):
    """An office's membership of an alliance; ``left_at`` ends it and keeps the history."""

    __tablename__ = "alliance_members"

    alliance_id: Mapped[int] = mapped_column(
        ForeignKey("alliances.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]

    alliance: Mapped[Alliance] = relationship(back_populates="members")
    organisation: Mapped[Organisation] = relationship(back_populates="alliance_memberships")

    def __repr__(self) -> str:
        return f"<AllianceMember {self.alliance_id} {self.organisation_id}>"


class AllianceShare(db.Model):
    """One thing an office shares with its alliance; revoked rows stay listed."""

    __tablename__ = "alliance_shares"
    __table_args__ = (
        UniqueConstraint("alliance_id", "organisation_id", "kind", "event_id"),
        CheckConstraint("kind = 'judge_pool' OR event_id IS NOT NULL",
                        name="event_for_event_kinds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliances.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[ShareKind] = mapped_column(share_kind_type)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    alliance: Mapped[Alliance] = relationship(back_populates="shares")
    organisation: Mapped[Organisation] = relationship()
    event: Mapped[Event | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<AllianceShare {self.alliance_id} {self.organisation_id} {self.kind}>"
