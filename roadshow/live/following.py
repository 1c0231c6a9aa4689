"""Live rooms follow the schedule: when scheduling commits a change to a session's slots
(:data:`roadshow.scheduling.signals.schedule_changed`), the session's room takes the new
programme and every page in it hears of it at once."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.extensions import db
from roadshow.live import programme
from roadshow.live.models import LiveEvent
from roadshow.scheduling.models import PitchSession
from roadshow.scoping import unscoped

if TYPE_CHECKING:
    from roadshow.live.namespace import LiveNamespace

log = logging.getLogger("roadshow.live")


def follow_sessions(namespace: LiveNamespace | None, session_ids: Iterable[int]) -> int:
    """Refresh the rooms of ``session_ids`` in a transaction of their own (the scheduling
    change is already committed) and send each room its ``programme`` event. Returns how many
    rooms changed."""
    told: list[LiveEvent] = []
    with Session(db.engine, expire_on_commit=False) as session:
        for session_id in sorted(set(session_ids)):
            pitch_session = session.scalar(unscoped(
                select(PitchSession).where(PitchSession.id == session_id),
                "the sessions a committed schedule change names"))
            if pitch_session is None:
                continue
            event = programme.follow_schedule(session, pitch_session)
            if event is not None:
                told.append(event)
        session.commit()
    if namespace is not None:
        for event in told:
            namespace.deliver(event)
    if told:
        log.info("programme of %d live room(s) follows the schedule", len(told))
    return len(told)
