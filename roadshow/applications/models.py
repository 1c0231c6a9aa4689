"""Applicant profiles, project applications and their uploaded pitch decks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.scoping import EventOwned, via

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.districts.models import District
    from roadshow.events.models import Event, EventQuestion, Track


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    FINALIST = "finalist"
    NOT_SELECTED = "not_selected"


class ProjectStage(StrEnum):
    IDEA = "idea"
    PROTOTYPE = "prototype"
    EARLY_REVENUE = "early_revenue"
    GROWTH = "growth"


application_status_type = Enum(
    ApplicationStatus, name="application_status",
    values_callable=lambda values: [v.value for v in values],
)
project_stage_type = Enum(
    ProjectStage, name="project_stage", values_callable=lambda values: [v.value for v in values]
)

application_districts = Table(
    "application_districts",
    db.metadata,
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True),
)


class ApplicantProfile(db.Model):
    """Who the applicant is; one per user, reused across events."""

    __tablename__ = "applicant_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    name_latin: Mapped[str] = mapped_column(String(120), default="")
    name_chinese: Mapped[str] = mapped_column(String(60), default="")
    nationality: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166-1 alpha-2
    country_of_residence: Mapped[str] = mapped_column(String(2), default="", index=True)
    institution: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(120), default="")
    highest_degree: Mapped[str] = mapped_column(String(20), default="")
    research_field: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class Application(EventOwned, db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("event_id", "applicant_id"),
        Index("ix_applications_event_status", "event_id", "status"),
        # the organizer's list: newest first, and the country filter's choices
        Index("ix_applications_event_submitted", "event_id", "submitted_at"),
        Index("ix_applications_event_country", "event_id", "country"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id", ondelete="SET NULL"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        application_status_type, default=ApplicationStatus.DRAFT
    )
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_zh: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[ProjectStage | None] = mapped_column(project_stage_type)
    team_size: Mapped[int | None]
    funding_sought_cny: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    support_sought: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    #: snapshot of the applicant's country of residence, for filters and charts
    country: Mapped[str] = mapped_column(String(2), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    withdrawn_at: Mapped[datetime | None]
    #: optimistic lock: an edit made against an older version is refused
    version: Mapped[int] = mapped_column(default=1)
    #: the one-time token of the last form that changed it: a resent form changes nothing
    last_form_token: Mapped[str] = mapped_column(String(64), default="")

    __mapper_args__ = {"version_id_col": version}

    event: Mapped[Event] = relationship()
    applicant: Mapped[User] = relationship()
    track: Mapped[Track | None] = relationship()
    districts: Mapped[list[District]] = relationship(secondary=application_districts)
    decks: Mapped[list[Deck]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Deck.uploaded_at"
    )
    answers: Mapped[list[ApplicationAnswer]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )

    @property
    def deck(self) -> Deck | None:
        return self.decks[-1] if self.decks else None

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.status}>"


class Deck(EventOwned, db.Model):
    """A pitch deck file, stored outside the web root under a random name."""

    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    page_count: Mapped[int | None]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="decks")

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.application_id, "applications", event_ids)


class ApplicationAnswer(EventOwned, db.Model):
    """The answer to one of the event's custom questions; a file answer is stored like a deck."""

    __tablename__ = "application_answers"
    __table_args__ = (UniqueConstraint("application_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("event_questions.id", ondelete="CASCADE"), index=True
    )
    text_value: Mapped[str] = mapped_column(Text, default="")
    number_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    file_original_name: Mapped[str] = mapped_column(String(255), default="")
    file_stored_name: Mapped[str] = mapped_column(String(80), default="")
    file_content_type: Mapped[str] = mapped_column(String(120), default="")
    file_size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    file_sha256: Mapped[str] = mapped_column(String(64), default="")

    application: Mapped[Application] = relationship(back_populates="answers")
    question: Mapped[EventQuestion] = relationship()

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.application_id, "applications", event_ids)
