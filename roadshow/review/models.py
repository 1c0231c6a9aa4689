"""Preliminary review and district docking: rubric, settings, conflicts, assignments, reviews,
scores, district interest and the finalist decisions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.db import utcnow, value_enum
from roadshow.extensions import db
from roadshow.scoping import EventOwned, via

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.applications.models import Application
    from roadshow.districts.models import District
    from roadshow.events.models import Event, Track


PRELIMINARY = "preliminary"
LIVE = "live"
ROUNDS = (PRELIMINARY, LIVE)


class SeeOtherReviews(StrEnum):
    NEVER = "never"
    AFTER_SUBMIT = "after_submit"


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class InterestLevel(StrEnum):
    NONE = "none"
    INTERESTED = "interested"
    STRONG = "strong"


class ConflictSource(StrEnum):
    DECLARED = "declared"          # the judge said so
    INSTITUTION = "institution"    # same institution as the applicant
    TEAM = "team"                  # a co-author or team name in common
    RECRUITER = "recruiter"        # the judge also recruits for a district the applicant chose
    ORGANIZER = "organizer"        # recorded by the organizer


class Criterion(EventOwned, db.Model):
    """One line of an event's rubric."""

    __tablename__ = "review_criteria"
    __table_args__ = (UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    guidance_zh: Mapped[str] = mapped_column(Text, default="")
    guidance_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=10)
    required: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()


class ReviewSettings(EventOwned, db.Model):
    """How an event's review runs; one row per event (defaults when absent)."""

    __tablename__ = "review_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    judges_per_application: Mapped[int] = mapped_column(default=3)
    blind: Mapped[bool] = mapped_column(default=False)
    see_other_reviews: Mapped[SeeOtherReviews] = mapped_column(
        value_enum(SeeOtherReviews, "see_other_reviews"), default=SeeOtherReviews.NEVER
    )
    finalist_count: Mapped[int] = mapped_column(default=32)
    #: optional quota per track: {"<track id>": finalists}; empty means no quota
    track_quota: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recruiters_see_scores: Mapped[bool] = mapped_column(default=False)
    #: recruiters of districts that marked interest may open the deck
    recruiters_read_decks: Mapped[bool] = mapped_column(default=False)
    #: when set, reviews can no longer be edited
    closed_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


judge_tracks = Table(
    "review_judge_tracks",
    db.metadata,
    Column("profile_id", ForeignKey("review_judge_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("track_id", ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True),
)


class JudgeProfile(db.Model):
    """What the conflict check and the assignment know about a judge."""

    __tablename__ = "review_judge_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    institution: Mapped[str] = mapped_column(String(200), default="")
    #: co-authors, teams and companies the judge works with, one per line
    associates: Mapped[str] = mapped_column(Text, default="")
    #: how many applications the judge can take at most (None: no cap)
    capacity: Mapped[int | None]

    user: Mapped[User] = relationship()
    tracks: Mapped[list[Track]] = relationship(secondary=judge_tracks)

    def associate_names(self) -> list[str]:
        return [line.strip() for line in self.associates.splitlines() if line.strip()]


class Conflict(EventOwned, db.Model):
    __tablename__ = "review_conflicts"
    __table_args__ = (UniqueConstraint("judge_id", "application_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    source: Mapped[ConflictSource] = mapped_column(value_enum(ConflictSource, "conflict_source"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: an organizer judged an automatic flag to be a false alarm
    dismissed_at: Mapped[datetime | None]
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    judge: Mapped[User] = relationship(foreign_keys=[judge_id])
    application: Mapped[Application] = relationship()

    @property
    def active(self) -> bool:
        return self.dismissed_at is None


class Assignment(EventOwned, db.Model):
    __tablename__ = "review_assignments"
    __table_args__ = (UniqueConstraint("application_id", "judge_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round: Mapped[str] = mapped_column(String(20), default=PRELIMINARY)
    manual: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()
    judge: Mapped[User] = relationship()


class Review(EventOwned, db.Model):
    """One judge's review of one application in one round; edited under an optimistic lock."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("application_id", "judge_id", "round"),
        Index("ix_reviews_judge_round", "judge_id", "round"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    round: Mapped[str] = mapped_column(String(20), default=PRELIMINARY)
    status: Mapped[ReviewStatus] = mapped_column(value_enum(ReviewStatus, "review_status"),
                                                 default=ReviewStatus.DRAFT)
    #: weighted total on the rubric's scale; None until every required criterion is scored
    total: Mapped[float | None] = mapped_column(Float)
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}

    application: Mapped[Application] = relationship()
    judge: Mapped[User] = relationship()
    scores: Mapped[list[Score]] = relationship(back_populates="review", cascade="all, delete-orphan")

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.application_id, "applications", event_ids)


class Score(EventOwned, db.Model):
    __tablename__ = "review_scores"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("review_criteria.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.review_id, "reviews", event_ids)


class DistrictInterest(EventOwned, db.Model):
    """A district's interest in an application, marked by one of its recruiters."""

    __tablename__ = "district_interests"
    __table_args__ = (UniqueConstraint("application_id", "district_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    level: Mapped[InterestLevel] = mapped_column(value_enum(InterestLevel, "interest_level"),
                                                 default=InterestLevel.NONE)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    district: Mapped[District] = relationship()
    recruiter: Mapped[User | None] = relationship()

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.application_id, "applications", event_ids)


class SelectionDecision(EventOwned, db.Model):
    """Whether an application reaches the roadshow, by rule or by a recorded override."""

    __tablename__ = "selection_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    selected: Mapped[bool] = mapped_column(default=False)
    #: the rank by normalised score when decided (None without reviews)
    rank: Mapped[int | None]
    #: set when the organizer overrode the rule; the reason is required then
    overridden: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None]

    application: Mapped[Application] = relationship()
    decided_by: Mapped[User | None] = relationship()
