"""What events tells the jobs queue (issue 13, §4 "Archiving"): no background job starts on an
archived event, which is read-only. The jobs layer sits below events and cannot ask it; this
module fills ``roadshow.jobs.services.START_GUARDS`` when it loads (listed in
``roadshow.JOB_MODULES``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.events.models import Event
from roadshow.jobs import services as job_services


def refuse_archived(session: Session, event_id: int) -> str | None:
    """``"archived"`` when the event is archived, else ``None``."""
    archived_at = session.scalar(select(Event.archived_at).where(Event.id == event_id))
    return "archived" if archived_at is not None else None


if refuse_archived not in job_services.START_GUARDS:
    job_services.START_GUARDS.append(refuse_archived)
