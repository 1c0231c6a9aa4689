"""The talent pool's tables (docs/design/talent-pool.md, migration 0009).

A :class:`Person` is one record an office keeps; :class:`Consent` rows hold the wording and
version the person agreed to; :class:`Change` rows keep every edit (nothing is overwritten
without a trace); :class:`Contact` rows are the contact log; :class:`Station` and
:class:`StationMember` are the liaison stations and who works in them (holding
``Role.STATION`` in the office). :class:`SavedSearch` and :class:`Share` belong to search and
alliance sharing. ``station_events`` links a station to its events and :class:`Invitation`
records who was invited to which event (migration 0011).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.db import UTCDateTime, utcnow, value_enum
from roadshow.extensions import db

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.organisations.models import Organisation


class Degree(StrEnum):
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"
    OTHER = "other"


class Category(StrEnum):
    OFFICIAL = "official"
    HIGH_LEVEL = "high_level"
    BUSINESS = "business"
    STUDENT = "student"
    RETURNEE = "returnee"


class Source(StrEnum):
    APPLICATION = "application"
    IMPORT = "import"
    RECOMMENDATION = "recommendation"
    SELF_NOMINATION = "self_nomination"
    STATION = "station"
    VISIT = "visit"


class ContactKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    MESSAGE = "message"
    EVENT = "event"


class StationRole(StrEnum):
    HEAD = "head"
    DEPUTY = "deputy"
    OFFICER = "officer"


class ChangeReason(StrEnum):
    EDIT = "edit"
    MERGE = "merge"
    IMPORT = "import"
    WITHDRAWAL = "withdrawal"
    ERASURE = "erasure"


degree_type = value_enum(Degree, "talent_degree")
category_type = value_enum(Category, "talent_category")
source_type = value_enum(Source, "talent_source")
contact_kind_type = value_enum(ContactKind, "talent_contact_kind")
station_role_type = value_enum(StationRole, "station_role")


person_industries = Table(
    "talent_person_industries",
    db.metadata,
    Column("person_id", ForeignKey("talent_people.id", ondelete="CASCADE"), primary_key=True),
    Column("industry_id", ForeignKey("talent_industries.id", ondelete="CASCADE"),
           primary_key=True),
)


class Station(db.Model):
    """A liaison station of an office in a city, in China or abroad."""

    __tablename__ = "talent_stations"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(60))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    city_zh: Mapped[str] = mapped_column(String(120), default="")
    city_en: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="CN")
    opened_on: Mapped[date]

    organisation: Mapped[Organisation] = relationship()
    members: Mapped[list[StationMember]] = relationship(
        back_populates="station", cascade="all, delete-orphan", passive_deletes=True,
        order_by="StationMember.appointed_on")

    def __repr__(self) -> str:
        return f"<Station {self.slug}>"


class StationMember(db.Model):
    """A person with an account appointed to a station; ``ended_on`` ends the appointment."""

    __tablename__ = "talent_station_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("talent_stations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[StationRole] = mapped_column(station_role_type)
    appointed_on: Mapped[date]
    ended_on: Mapped[date | None]

    station: Mapped[Station] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StationMember {self.station_id} {self.user_id} {self.role}>"


class Industry(db.Model):
    """An entry of the office's bilingual taxonomy: an industry chain, or a field under one."""

    __tablename__ = "talent_industries"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_industries.id", ondelete="CASCADE"))

    parent: Mapped[Industry | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Industry {self.code}>"


class Person(db.Model):
    """One person in an office's pool."""

    __tablename__ = "talent_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name_zh: Mapped[str | None] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(200))
    #: from ``name_zh`` (roadshow.talent.names): lower case, spaces between syllables
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    gender: Mapped[str | None] = mapped_column(String(16))
    birth_year: Mapped[int | None]
    #: county-level division code (or a city's, where the city has no counties)
    native_code: Mapped[str | None] = mapped_column(String(6), index=True)
    residence_country: Mapped[str] = mapped_column(String(2), default="")
    residence_city: Mapped[str] = mapped_column(String(120), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(120), default="")
    degree: Mapped[Degree | None] = mapped_column(degree_type)
    school: Mapped[str] = mapped_column(String(200), default="")
    field: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[Category] = mapped_column(category_type)
    source: Mapped[Source] = mapped_column(source_type)
    recommended_by: Mapped[str | None] = mapped_column(String(200))
    station_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_stations.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    languages: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    retained_reason: Mapped[str | None] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship()
    station: Mapped[Station | None] = relationship()
    user: Mapped[User | None] = relationship()
    industries: Mapped[list[Industry]] = relationship(secondary=person_industries)
    consents: Mapped[list[Consent]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Consent.given_at")
    changes: Mapped[list[Change]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Change.changed_at")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Contact.happened_at")

    @property
    def display_name(self) -> str:
        return self.name_zh or self.name_en or ""

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class Consent(db.Model):
    """A person's consent to a purpose, with the wording and version they agreed to."""

    __tablename__ = "talent_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("talent_people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    wording_zh: Mapped[str] = mapped_column(Text)
    wording_en: Mapped[str] = mapped_column(Text)
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    given_via: Mapped[str] = mapped_column(String(40))
    withdrawn_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(back_populates="consents")


class Change(db.Model):
    """One field of a record changed: who, when, from what to what, and why."""

    __tablename__ = "talent_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("talent_people.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(40))

    person: Mapped[Person] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship()


class Contact(db.Model):
    """One entry of a person's contact log, with the next step and when it is due."""

    __tablename__ = "talent_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("talent_people.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ContactKind] = mapped_column(contact_kind_type)
    happened_at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(String(300))
    next_due_on: Mapped[date | None]
    done_at: Mapped[datetime | None]
    #: alliance partners may see it
    shared: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person] = relationship(back_populates="contacts")
    officer: Mapped[User | None] = relationship()


class AccessLogEntry(db.Model):
    """Who looked at, searched or exported the pool."""

    __tablename__ = "talent_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_people.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedSearch(db.Model):
    """A search an officer keeps (search, T2)."""

    __tablename__ = "talent_saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Share(db.Model):
    """An office shares its pool (all of it, or one category) with an alliance."""

    __tablename__ = "talent_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(
        ForeignKey("alliances.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    #: None: every category
    category: Mapped[Category | None] = mapped_column(category_type)
    contacts_shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


#: the events of a liaison station: its symposium, its promotion events (migration 0011)
station_events = Table(
    "talent_station_events",
    db.metadata,
    Column("station_id", ForeignKey("talent_stations.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
)


class Invitation(db.Model):
    """A person of the pool invited to an event by mail (once per event); the invitation is
    also in their contact log (``contact_id``)."""

    __tablename__ = "talent_invitations"
    __table_args__ = (UniqueConstraint("person_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("talent_people.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_contacts.id", ondelete="SET NULL"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the language the mail was written in (en, zh_Hans_CN)
    locale: Mapped[str] = mapped_column(String(16), default="en")
