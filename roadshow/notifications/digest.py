"""The daily digest: who chose it gets one mail a day, at eight in the morning in their own
zone, listing what came since the last one (``roadshow notifications digest`` runs it too)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.i18n import zone_or_utc
from roadshow.mail.outbox import queue_email
from roadshow.notifications import unsubscribe
from roadshow.notifications.models import Notification

#: the local hour the digest is sent at
DIGEST_HOUR = 8


def _local_hour(zone: str, now: datetime) -> int:
    return now.astimezone(zone_or_utc(zone)).hour


def send_digests(session: Session, now: datetime | None = None, *, any_hour: bool = False) -> int:
    """Send each waiting digest whose owner's clock shows :data:`DIGEST_HOUR` (every waiting
    digest with ``any_hour``); returns how many mails were queued."""
    now = now or utcnow()
    pending = session.scalars(select(Notification).where(
        Notification.digest_pending.is_(True)).order_by(Notification.user_id,
                                                        Notification.created_at)).all()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for row in pending:
        by_user[row.user_id].append(row)
    sent = 0
    for user_id, rows in by_user.items():
        user = session.get(User, user_id)
        if user is None or not user.active:
            continue
        if not any_hour and _local_hour(user.timezone, now) != DIGEST_HOUR:
            continue
        queue_email(user, "notifications/mail/digest",
                    {"person": user, "items": rows,
                     "unsubscribe_url": unsubscribe.link(user.id, "digest")},
                    session=session)
        for row in rows:
            row.digest_pending = False
        sent += 1
    return sent
