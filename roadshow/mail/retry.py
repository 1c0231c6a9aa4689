"""Which outbox messages a bulk retry sends again (the retry itself is a background job:
roadshow.mail.jobs)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.mail.models import OutboxMessage, OutboxStatus

RETRYABLE = (OutboxStatus.QUEUED, OutboxStatus.FAILED)


def retryable_ids(session: Session) -> list[int]:
    return list(session.scalars(select(OutboxMessage.id)
                                .where(OutboxMessage.status.in_(RETRYABLE))
                                .order_by(OutboxMessage.id)))
