"""The outbox: every message Roadshow sends, kept readable for the operator."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from roadshow.db import utcnow
from roadshow.extensions import db


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    #: no SMTP server configured: logged and kept here for the operator
    KEPT = "kept"
    FAILED = "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    locale: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    #: the whole MIME message as sent
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    template: Mapped[str] = mapped_column(String(120), index=True)
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, name="outbox_status", values_callable=lambda s: [v.value for v in s]),
        default=OutboxStatus.QUEUED, index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
