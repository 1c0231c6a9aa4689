"""What a live room keeps: its stage, its numbered event log, questions and votes, chat,
mutes, presence and the districts' docking requests with the meetings they become.

Live scores are not kept here: they are reviews of round ``live`` in the review domain.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.db import utcnow, value_enum
from roadshow.extensions import db
from roadshow.scoping import EventOwned, via

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.applications.models import Application
    from roadshow.districts.models import District
    from roadshow.scheduling.models import PitchSession


class QuestionStatus(StrEnum):
    PENDING = "pending"      # waiting for the host's approval
    APPROVED = "approved"    # shown to everyone
    ANSWERED = "answered"
    HIDDEN = "hidden"


class DockingKind(StrEnum):
    INTEREST = "interest"    # "we are interested in this project"
    TALK = "talk"            # "we ask for a follow-up talk"


class DockingAnswer(StrEnum):
    """The applicant's answer to a district's request."""

    ACCEPTED = "accepted"    # "yes, let us talk" (the district proposes the time)
    PROPOSED = "proposed"    # "yes, at one of these times"
    DECLINED = "declined"    # "no, thank you"


class LiveRoom(EventOwned, db.Model):
    """The live room of one pitch session: its stage and the last sequence number used."""

    __tablename__ = "live_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("pitch_sessions.id", ondelete="CASCADE"), unique=True
    )
    #: :class:`roadshow.live.state.StageState` as a dict
    stage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    seq: Mapped[int] = mapped_column(default=0)
    #: the last sequence number on each channel ("all", "host", "user:<id>", "district:<id>"),
    #: from which every event learns the number before it (see roadshow.live.channels)
    heads: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[PitchSession] = relationship()

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.session_id, "pitch_sessions", event_ids)


class LiveEvent(EventOwned, db.Model):
    """Every change broadcast to a room, numbered; the client action id makes retries safe."""

    __tablename__ = "live_events"
    __table_args__ = (
        UniqueConstraint("room_id", "seq"),
        UniqueConstraint("room_id", "actor_id", "action_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("live_rooms.id", ondelete="CASCADE"))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(40))
    #: who may receive it: "all", "host", or "user:<id>,host"
    audience: Mapped[str] = mapped_column(String(80), default="all")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: for each channel of the audience, the number of the event before this one there
    prev: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.room_id, "live_rooms", event_ids)


class LiveQuestion(EventOwned, db.Model):
    __tablename__ = "live_questions"
    __table_args__ = (Index("ix_live_questions_room_status", "room_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("live_rooms.id", ondelete="CASCADE"))
    #: the project the question is for (the one on stage when it was asked)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[QuestionStatus] = mapped_column(
        value_enum(QuestionStatus, "live_question_status"), default=QuestionStatus.PENDING
    )
    votes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
    application: Mapped[Application | None] = relationship()

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.room_id, "live_rooms", event_ids)


class LiveVote(EventOwned, db.Model):
    """One upvote per person per question; taking it back deletes the row."""

    __tablename__ = "live_votes"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("live_questions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.question_id, "live_questions", event_ids)


class ChatMessage(EventOwned, db.Model):
    __tablename__ = "live_chat_messages"
    __table_args__ = (Index("ix_live_chat_room_id", "room_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("live_rooms.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.room_id, "live_rooms", event_ids)


class LiveMute(EventOwned, db.Model):
    __tablename__ = "live_mutes"
    __table_args__ = (UniqueConstraint("room_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("live_rooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    muted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.room_id, "live_rooms", event_ids)


class LivePresence(EventOwned, db.Model):
    """One open connection; refreshed by its server process, so stale rows age out."""

    __tablename__ = "live_presence"

    id: Mapped[int] = mapped_column(primary_key=True)
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("live_rooms.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    connected_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.room_id, "live_rooms", event_ids)


class DockingRequest(EventOwned, db.Model):
    """A district's interest in a project seen live, or its request for a follow-up talk."""

    __tablename__ = "live_docking_requests"
    __table_args__ = (UniqueConstraint("application_id", "district_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("live_rooms.id", ondelete="SET NULL"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[DockingKind] = mapped_column(value_enum(DockingKind, "live_docking_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the follow-up meeting, once the organizer or the recruiter arranged it
    meeting_starts_at: Mapped[datetime | None]
    meeting_ends_at: Mapped[datetime | None]
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    meeting_uid: Mapped[str] = mapped_column(String(120), default="")
    meeting_sequence: Mapped[int] = mapped_column(default=0)
    invited_at: Mapped[datetime | None]
    #: when the applicant was emailed about the request, and their answer
    applicant_notified_at: Mapped[datetime | None]
    answer: Mapped[DockingAnswer | None] = mapped_column(value_enum(DockingAnswer, "live_docking_answer"))
    #: the times the applicant proposed (ISO 8601 in UTC), for ``answer == "proposed"``
    proposed_times: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer_note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]

    application: Mapped[Application] = relationship()
    district: Mapped[District] = relationship()
    recruiter: Mapped[User | None] = relationship()


class MediaBlock(EventOwned, db.Model):
    """The host stopped what a member sends of one kind ("audio" or "video") on the media
    server (Janus's ``moderate``): re-applied when they publish again, lifted by the host or
    when the stage no longer lets them publish."""

    __tablename__ = "live_media_blocks"
    __table_args__ = (UniqueConstraint("room_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("live_rooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    blocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.room_id, "live_rooms", event_ids)


class RecordingSetting(EventOwned, db.Model):
    """An organizer turned recording on (or off again) for an event's live sessions."""

    __tablename__ = "live_recording_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordingConsent(EventOwned, db.Model):
    """A presenter's answer: may their pitch (this application) be recorded?"""

    __tablename__ = "live_recording_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    consented: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordingStatus(StrEnum):
    RECORDING = "recording"      # Janus writes the .mjr files now
    PROCESSING = "processing"    # janus-pp-rec turns them into .webm / .opus (a job)
    READY = "ready"
    FAILED = "failed"


class LiveRecording(EventOwned, db.Model):
    """One pitch recorded on the media server with its presenter's consent, and the files
    post-processing made of it (served only through Roadshow, with access checks)."""

    __tablename__ = "live_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("live_rooms.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("pitch_sessions.id", ondelete="SET NULL"))
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[RecordingStatus] = mapped_column(
        value_enum(RecordingStatus, "live_recording_status"), default=RecordingStatus.RECORDING)
    #: the folder of this recording, relative to the recordings folder
    folder: Mapped[str] = mapped_column(String(200))
    #: the files made of it: [{"name": "pitch.webm", "kind": "video", "size": bytes}]
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    processed_at: Mapped[datetime | None]

    application: Mapped[Application] = relationship()
    session: Mapped[PitchSession | None] = relationship()


class CaptionCue(EventOwned, db.Model):
    """A caption line typed in the live room while a pitch was recorded, kept with the moment
    it was said so the recording can show it (roadshow.live.recording_captions)."""

    __tablename__ = "live_caption_cues"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("live_recordings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: "zh" or "en": the language the line is written in
    language: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text)
    said_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaptionTrack(EventOwned, db.Model):
    """A WebVTT file an organizer or the presenter uploaded for a recording, one per language:
    it replaces the lines typed live in that language."""

    __tablename__ = "live_caption_tracks"
    __table_args__ = (UniqueConstraint("recording_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("live_recordings.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(5))
    #: the file as uploaded (UTF-8 WebVTT, checked before it is kept)
    content: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
