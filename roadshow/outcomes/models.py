"""From a sealed intent to a landed project (issue 15): the office's milestone templates, each
sealed intent's project and its milestones with their evidence, and the tasks across units."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
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
    from roadshow.districts.models import District
    from roadshow.signing.models import Intent


class MilestoneState(StrEnum):
    OPEN = "open"  # nothing submitted yet
    SUBMITTED = "submitted"  # the unit sent its evidence; an organizer confirms it
    CONFIRMED = "confirmed"  # confirmed and appended to the intent's audit trail


class TaskStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"  # dropped: no longer due, never overdue


#: the statuses that end a task
TASK_ENDED = frozenset({TaskStatus.DONE, TaskStatus.CANCELLED})


class MilestoneTemplate(db.Model):
    """One of an office's milestones every sealed intent's project follows, in order."""

    __tablename__ = "outcome_milestone_templates"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(default=0)
    #: the deadline, in days after the intent was sealed
    due_days: Mapped[int] = mapped_column(default=30)
    active: Mapped[bool] = mapped_column(default=True)


class Project(EventOwned, db.Model):
    """A sealed intent's project, followed until it lands."""

    __tablename__ = "outcome_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    intent_id: Mapped[int] = mapped_column(
        ForeignKey("signing_intents.id", ondelete="CASCADE"), unique=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"),
                                             index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: when its last milestone was confirmed
    landed_at: Mapped[datetime | None]

    intent: Mapped[Intent] = relationship()
    district: Mapped[District] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Milestone.position")


class Milestone(EventOwned, db.Model):
    """One step of a project, with its responsible unit, deadline, evidence and confirmation."""

    __tablename__ = "outcome_milestones"
    __table_args__ = (Index("ix_outcome_milestones_event_state", "event_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("outcome_projects.id", ondelete="CASCADE"),
                                            index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(default=0)
    responsible_district_id: Mapped[int] = mapped_column(
        ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date]
    state: Mapped[MilestoneState] = mapped_column(value_enum(MilestoneState, "outcome_milestone_state"),
                                                  default=MilestoneState.OPEN)
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    amount_cny: Mapped[int | None] = mapped_column(BigInteger)
    registered_capital_cny: Mapped[int | None] = mapped_column(BigInteger)
    people_on_site: Mapped[int | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    #: the entry of the intent's audit trail that records the confirmation
    audit_seq: Mapped[int | None]
    #: when the responsible unit was reminded that it is overdue (once)
    reminded_at: Mapped[datetime | None]

    project: Mapped[Project] = relationship(back_populates="milestones")
    responsible_district: Mapped[District] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    documents: Mapped[list[MilestoneDocument]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan", order_by="MilestoneDocument.id")


class MilestoneDocument(EventOwned, db.Model):
    """A file uploaded as a milestone's evidence, stored under a random name."""

    __tablename__ = "outcome_milestone_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("outcome_milestones.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    milestone: Mapped[Milestone] = relationship(back_populates="documents")

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.milestone_id, Milestone, event_ids)


task_members = Table(
    "outcome_task_members",
    db.metadata,
    Column("task_id", ForeignKey("outcome_tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True),
)


class Task(db.Model):
    """A task of the office's plan for an event or a year: a lead unit, member units, a
    deadline, a status and a note of the evidence."""

    __tablename__ = "outcome_tasks"
    __table_args__ = (Index("ix_outcome_tasks_org_year", "organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    lead_district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"),
                                                  index=True)
    due_on: Mapped[date]
    status: Mapped[TaskStatus] = mapped_column(value_enum(TaskStatus, "outcome_task_status"),
                                               default=TaskStatus.OPEN)
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    lead_district: Mapped[District] = relationship()
    members: Mapped[list[District]] = relationship(secondary=task_members)
    updated_by: Mapped[User | None] = relationship()
