"""Roadshow sessions, their slots, who attends, availability, calendar bookkeeping and RSVPs.

All datetimes are aware UTC. Dates and times are entered and shown in someone's zone, never
stored in one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    or_,
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


class SessionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class SlotKind(StrEnum):
    PITCH = "pitch"          # one finalist pitches, then Q&A
    DISTRICT = "district"    # a district presents its offer
    BREAK = "break"


class AttendanceRole(StrEnum):
    JUDGE = "judge"
    RECRUITER = "recruiter"
    ORGANIZER = "organizer"


class RsvpStatus(StrEnum):
    NEEDS_ACTION = "needs-action"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"


class InviteMethod(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class PitchSession(EventOwned, db.Model):
    """A block of live pitches on one roadshow day, optionally devoted to one track."""

    __tablename__ = "pitch_sessions"
    __table_args__ = (Index("ix_pitch_sessions_event_start", "event_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: the video meeting every participant joins
    join_url: Mapped[str] = mapped_column(String(500), default="")
    #: pitch + Q&A; a pitch slot lasts slot_minutes
    slot_minutes: Mapped[int] = mapped_column(default=20)
    pitch_minutes: Mapped[int] = mapped_column(default=12)
    qa_minutes: Mapped[int] = mapped_column(default=8)
    status: Mapped[SessionStatus] = mapped_column(
        value_enum(SessionStatus, "pitch_session_status"), default=SessionStatus.DRAFT
    )
    published_at: Mapped[datetime | None]
    #: the calendar SEQUENCE of the session-level invite (judges, recruiters, organizer)
    sequence: Mapped[int] = mapped_column(default=0)
    #: stable across every update of this session's invites
    uid: Mapped[str] = mapped_column(
        String(120), unique=True, default=lambda: f"session-{secrets.token_hex(10)}"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    track: Mapped[Track | None] = relationship()
    slots: Mapped[list[Slot]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Slot.starts_at"
    )
    attendances: Mapped[list[SessionAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<PitchSession {self.id} {self.starts_at:%Y-%m-%d %H:%M}Z>"

    @property
    def is_published(self) -> bool:
        return self.status == SessionStatus.PUBLISHED


class Slot(EventOwned, db.Model):
    """A time within a session: a finalist's pitch, a district's presentation, or a break."""

    __tablename__ = "schedule_slots"
    __table_args__ = (Index("ix_schedule_slots_session_start", "session_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pitch_sessions.id", ondelete="CASCADE"))
    kind: Mapped[SlotKind] = mapped_column(value_enum(SlotKind, "slot_kind"), default=SlotKind.PITCH)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    position: Mapped[int] = mapped_column(default=0)
    #: kept by the solver as the organizer placed it
    pinned: Mapped[bool] = mapped_column(default=False)
    #: raised on every change that reaches calendars (time, occupant, join link)
    sequence: Mapped[int] = mapped_column(default=0)
    uid: Mapped[str] = mapped_column(
        String(120), unique=True, default=lambda: f"slot-{secrets.token_hex(10)}"
    )
    note: Mapped[str] = mapped_column(String(300), default="")

    session: Mapped[PitchSession] = relationship(back_populates="slots")
    application: Mapped[Application | None] = relationship()
    district: Mapped[District | None] = relationship()

    def __repr__(self) -> str:
        return f"<Slot {self.id} {self.kind} {self.starts_at:%H:%M}Z>"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.session_id, "pitch_sessions", event_ids)


class SessionAttendance(EventOwned, db.Model):
    """A judge, recruiter or organizer who attends a session (chosen by them or assigned)."""

    __tablename__ = "session_attendances"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pitch_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[AttendanceRole] = mapped_column(value_enum(AttendanceRole, "attendance_role"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[PitchSession] = relationship(back_populates="attendances")
    user: Mapped[User] = relationship()

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.session_id, "pitch_sessions", event_ids)


class Availability(EventOwned, db.Model):
    """When an applicant can pitch during an event: UTC intervals.

    ``windows`` is a JSON list of ``[start_iso, end_iso]`` pairs in UTC; ``zone`` is the zone
    the person entered them in (shown back to them in it).
    """

    __tablename__ = "availabilities"
    __table_args__ = (UniqueConstraint("user_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    zone: Mapped[str] = mapped_column(String(64))
    windows: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    def intervals(self) -> list[tuple[datetime, datetime]]:
        return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in self.windows]


class CalendarInvite(EventOwned, db.Model):
    """What a recipient's calendar last received for one event (slot or session) UID.

    The row names its event itself: its slot and session are set to NULL when they are deleted,
    and the cancellation it then waits for belongs to that event's next sending, no other's."""

    __tablename__ = "calendar_invites"
    __table_args__ = (UniqueConstraint("user_id", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(120), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_slots.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("pitch_sessions.id", ondelete="SET NULL")
    )
    sequence: Mapped[int] = mapped_column(default=0)
    method: Mapped[InviteMethod] = mapped_column(value_enum(InviteMethod, "invite_method"))
    #: what was sent, to tell whether anything changed since
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class FeedToken(db.Model):
    """The secret in a personal calendar subscription URL; revoking makes a new one."""

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class Rsvp(EventOwned, db.Model):
    """A participant's answer to a slot (applicant) or session (judge, recruiter) invite."""

    __tablename__ = "schedule_rsvps"
    __table_args__ = (UniqueConstraint("user_id", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(120), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_slots.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("pitch_sessions.id", ondelete="CASCADE")
    )
    status: Mapped[RsvpStatus] = mapped_column(
        value_enum(RsvpStatus, "rsvp_status"), default=RsvpStatus.NEEDS_ACTION
    )
    comment: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        ids = list(event_ids)
        return or_(via(cls.session_id, "pitch_sessions", ids), via(cls.slot_id, "schedule_slots", ids))


class SendJob(EventOwned, db.Model):
    """A batch of invites being sent, so the organizer sees progress."""

    __tablename__ = "schedule_send_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    requests: Mapped[int] = mapped_column(default=0)
    cancels: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
