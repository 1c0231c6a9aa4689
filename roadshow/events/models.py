"""Events, their phases, industry tracks and the districts taking part."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.config import DEFAULT_TIMEZONE
from roadshow.db import utcnow
from roadshow.events.kinds import EventKind, stage_column
from roadshow.extensions import db
from roadshow.organisations.models import Alliance, EventRole, Organisation
from roadshow.scoping import EventOwned

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.districts.models import District

__all__ = ["Event", "EventKind", "EventPhase", "EventQuestion", "PhaseKind", "QuestionKind",
           "Track", "event_districts"]


class PhaseKind(StrEnum):
    """The phases of an event, in order."""

    CALL = "call"            # call for projects open
    REVIEW = "review"        # preliminary review and district docking
    ROADSHOW = "roadshow"    # live pitch days
    SIGNING = "signing"      # online signing of intents


phase_kind_type = Enum(PhaseKind, name="phase_kind",
                       values_callable=lambda kinds: [k.value for k in kinds])

event_kind_type = Enum(EventKind, name="event_kind",
                       values_callable=lambda kinds: [k.value for k in kinds], validate_strings=True)

event_districts = Table(
    "event_districts",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    organizer_name_zh: Mapped[str] = mapped_column(String(200), default="")
    organizer_name_en: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    online: Mapped[bool] = mapped_column(default=True)
    venue_zh: Mapped[str] = mapped_column(String(200), default="")
    venue_en: Mapped[str] = mapped_column(String(200), default="")
    #: the organizer's hand on the phase; None means "by date"
    phase_override: Mapped[PhaseKind | None] = mapped_column(phase_kind_type)
    #: closed by hand even though the call's dates say open
    call_closed_by_hand: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the office that runs the event (no default: every event is created for an office)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[EventKind] = mapped_column(event_kind_type, default=EventKind.ROADSHOW,
                                            server_default=EventKind.ROADSHOW.value)
    #: stage switches (events/kinds.py holds the defaults per kind); review covers district docking
    stage_call: Mapped[bool] = mapped_column(default=True, server_default=true())
    stage_review: Mapped[bool] = mapped_column(default=True, server_default=true())
    stage_schedule: Mapped[bool] = mapped_column(default=True, server_default=true())
    stage_live: Mapped[bool] = mapped_column(default=True, server_default=true())
    stage_signing: Mapped[bool] = mapped_column(default=True, server_default=true())
    #: the alliance of a joint event
    alliance_id: Mapped[int | None] = mapped_column(ForeignKey("alliances.id", ondelete="SET NULL"))
    #: the event this one was copied from ("New event from this one")
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    archived_at: Mapped[datetime | None]
    archived_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(back_populates="events")
    alliance: Mapped[Alliance | None] = relationship()
    copied_from: Mapped[Event | None] = relationship(remote_side="Event.id")
    archived_by: Mapped[User | None] = relationship(foreign_keys=[archived_by_id])
    roles: Mapped[list[EventRole]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True)
    phases: Mapped[list[EventPhase]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventPhase.starts_at"
    )
    tracks: Mapped[list[Track]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Track.position"
    )
    districts: Mapped[list[District]] = relationship(secondary=event_districts)
    questions: Mapped[list[EventQuestion]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventQuestion.position"
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"

    def phase(self, kind: PhaseKind) -> EventPhase | None:
        return next((p for p in self.phases if p.kind == kind), None)

    def has_stage(self, stage: str) -> bool:
        """Whether the event runs ``stage`` (call, review, schedule, live, signing)."""
        return bool(getattr(self, stage_column(stage)))

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class EventPhase(EventOwned, db.Model):
    __tablename__ = "event_phases"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[PhaseKind] = mapped_column(phase_kind_type)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    event: Mapped[Event] = relationship(back_populates="phases")


class Track(EventOwned, db.Model):
    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="tracks")


class QuestionKind(StrEnum):
    """The kinds of custom question an organizer may add to an event's application form."""

    TEXT = "text"
    CHOICE = "choice"
    NUMBER = "number"
    FILE = "file"


question_kind_type = Enum(QuestionKind, name="question_kind",
                          values_callable=lambda kinds: [k.value for k in kinds])


class EventQuestion(EventOwned, db.Model):
    """A custom question on the application form of one event."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[QuestionKind] = mapped_column(question_kind_type)
    prompt_zh: Mapped[str] = mapped_column(String(300))
    prompt_en: Mapped[str] = mapped_column(String(300))
    #: for choice questions: one option per line, the same number of lines in both languages
    choices_zh: Mapped[str] = mapped_column(Text, default="")
    choices_en: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship(back_populates="questions")

    def options(self) -> list[tuple[str, str, str]]:
        """``(key, zh, en)`` per option; the key is the option's index, stable across languages."""
        zh = [line.strip() for line in self.choices_zh.splitlines() if line.strip()]
        en = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
        count = max(len(zh), len(en))
        return [(str(i), zh[i] if i < len(zh) else en[i], en[i] if i < len(en) else zh[i])
                for i in range(count)]
