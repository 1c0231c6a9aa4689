"""The wording an office or one of its events wrote for a mail kind in one language."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.db import utcnow
from roadshow.extensions import db

if TYPE_CHECKING:
    from roadshow.accounts.models import User


class MailWording(db.Model):
    """An override of a mail template's subject and/or body: the office's (``event_id`` empty)
    or one event's, which beats the office's part by part. An empty part keeps the file's."""

    __tablename__ = "mail_wording_overrides"
    __table_args__ = (
        Index("ix_mail_wording_overrides_scope", "organisation_id", "template", "locale",
              "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True)
    template: Mapped[str] = mapped_column(String(120))  # e.g. "review/mail/finalist"
    locale: Mapped[str] = mapped_column(String(16))  # "zh_Hans_CN" or "en"
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    updated_by: Mapped[User | None] = relationship()
