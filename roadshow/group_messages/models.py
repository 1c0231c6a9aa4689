"""A message an organizer sent to a group, and the people it went to.

The recipients are fixed when the organizer confirms the preview: the job sends to that list,
marking each as sent in the batch that sends it, so a resumed job sends nobody twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.scoping import EventOwned, via

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.events.models import Event
    from roadshow.jobs.models import Job


class GroupMessage(EventOwned, db.Model):
    __tablename__ = "group_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the preview's token: a confirmation posted twice finds the message it already made
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: the group's kind (roadshow.group_messages.groups.KINDS) and its choice (a session's id,
    #: an application status, a saved search's id)
    group: Mapped[str] = mapped_column(String(40))
    group_value: Mapped[str] = mapped_column(String(100), default="")
    #: what the group was called when sent, in both languages (its session may be renamed)
    group_label_zh: Mapped[str] = mapped_column(String(300), default="")
    group_label_en: Mapped[str] = mapped_column(String(300), default="")
    subject_zh: Mapped[str] = mapped_column(String(200), default="")
    subject_en: Mapped[str] = mapped_column(String(200), default="")
    body_zh: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    #: the one language written, sent to everyone ("zh_Hans_CN" or "en"); None: both
    only_language: Mapped[str | None] = mapped_column(String(16))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    recipient_count: Mapped[int] = mapped_column(default=0)
    sent_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    sender: Mapped[User | None] = relationship()
    job: Mapped[Job | None] = relationship()
    recipients: Mapped[list[GroupMessageRecipient]] = relationship(
        back_populates="message", cascade="all, delete-orphan",
        order_by="GroupMessageRecipient.id")


class GroupMessageRecipient(EventOwned, db.Model):
    __tablename__ = "group_message_recipients"
    __table_args__ = (UniqueConstraint("message_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("group_messages.id", ondelete="CASCADE"), index=True)
    #: an account (told in the app too), or a person of the talent pool (by mail only)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_people.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]

    message: Mapped[GroupMessage] = relationship(back_populates="recipients")

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.message_id, "group_messages", event_ids)
