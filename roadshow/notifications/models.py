"""A person's notifications and their choices of channel per kind.

A notification keeps its kind and the parameters of its message, not the words: the centre
renders it in the reader's language when they read it. ``dedupe_key`` makes a message that must
go out once (a reminder) go out once, whatever runs it again."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from roadshow.db import utcnow
from roadshow.extensions import db


class Channel(StrEnum):
    BOTH = "both"  # in the app and by mail, one mail each
    APP = "app"  # in the app only
    EMAIL = "email"  # by mail only
    DIGEST = "digest"  # in the app, and by mail in the daily digest


channel_type = Enum(Channel, name="notification_channel",
                    values_callable=lambda c: [v.value for v in c])


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60), index=True)
    #: what the message says, rendered in the reader's language when read
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the exact page it is about, a path inside Roadshow
    url: Mapped[str] = mapped_column(String(500))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                                 index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    #: shown in the centre (not when the person chose mail only)
    in_app: Mapped[bool] = mapped_column(default=True)
    #: waiting for the person's daily digest mail
    digest_pending: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]


class Preference(db.Model):
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    channel: Mapped[Channel] = mapped_column(channel_type)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
