"""Scheduling figures for organizers: local pitch hours, invites sent, the last sending."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.events.models import Event
from roadshow.jobs.models import Job
from roadshow.scheduling.models import (
    CalendarInvite,
    SendJob,
    SlotKind,
)
from roadshow.scheduling.queries import sessions_of
from roadshow.scoping import scoped


def local_hour_histogram(session: Session, event: Event) -> list[tuple[str, int]]:
    """How many pitches start at each local hour of their presenter (a chart for organizers)."""
    from zoneinfo import ZoneInfo

    counts: dict[int, int] = defaultdict(int)
    for ps in sessions_of(session, event):
        for s in ps.slots:
            if s.kind == SlotKind.PITCH and s.application is not None:
                zone = s.application.applicant.timezone
                counts[s.starts_at.astimezone(ZoneInfo(zone)).hour] += 1
    return [(f"{h:02d}:00", counts[h]) for h in sorted(counts)]


def sent_counts(session: Session, event: Event) -> dict[str, int]:
    """Invitations and cancellations sent for the event's pitches and sessions (those of its
    deleted sessions included)."""
    rows = session.execute(scoped(
        select(CalendarInvite.method, func.count())
        .where(CalendarInvite.event_id == event.id)
        .group_by(CalendarInvite.method), event)).all()
    return {str(method.value): count for method, count in rows}


def last_job(session: Session, event: Event) -> SendJob | None:
    return session.scalar(scoped(select(SendJob).where(SendJob.event_id == event.id)
                                 .order_by(SendJob.id.desc()), event))


def latest_job(session: Session, event: Event, kind: str) -> Job | None:
    """The event's newest background job of ``kind`` (the sending's progress on the editor)."""
    return session.scalar(scoped(select(Job).where(Job.kind == kind, Job.event_id == event.id)
                                 .order_by(Job.id.desc()), event))
