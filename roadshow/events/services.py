"""Event operations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.events.models import Event


def current_event(session: Session) -> Event | None:
    """The event the home page and dashboards are about: the newest published one."""
    return session.scalar(
        select(Event).where(Event.published.is_(True)).order_by(Event.created_at.desc(), Event.id.desc())
    )
