"""Reading the schedule: an event's sessions, its finalists, the roadshow's span, a finalist's slot."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.events.models import Event, PhaseKind
from roadshow.scheduling.models import (
    PitchSession,
    SessionStatus,
    Slot,
    SlotKind,
)
from roadshow.scoping import scoped


def sessions_of(session: Session, event: Event, *, published_only: bool = False) -> list[PitchSession]:
    statement = (select(PitchSession).where(PitchSession.event_id == event.id)
                 .options(selectinload(PitchSession.slots).selectinload(Slot.application),
                          selectinload(PitchSession.attendances))
                 .order_by(PitchSession.starts_at, PitchSession.id))
    if published_only:
        statement = statement.where(PitchSession.status == SessionStatus.PUBLISHED)
    return list(session.scalars(scoped(statement, event)))


def finalists(session: Session, event: Event) -> list[Application]:
    return list(session.scalars(scoped(
        select(Application).where(Application.event_id == event.id,
                                  Application.status == ApplicationStatus.FINALIST)
        .options(selectinload(Application.applicant), selectinload(Application.districts))
        .order_by(Application.id), event)))


def roadshow_span(event: Event) -> tuple[datetime, datetime]:
    """The roadshow phase; without one, a week from now."""
    phase = event.phase(PhaseKind.ROADSHOW)
    if phase is not None:
        return phase.starts_at, phase.ends_at
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    return now, now + timedelta(days=7)


def schedule_span(session: Session, event: Event) -> tuple[datetime, datetime]:
    """The roadshow phase widened to cover every session."""
    start, end = roadshow_span(event)
    for s in sessions_of(session, event):
        start, end = min(start, s.starts_at), max(end, s.ends_at)
    return start, end


def slot_of_application(session: Session, application: Application,
                        *, published_only: bool = True) -> Slot | None:
    statement = select(Slot).join(PitchSession).where(Slot.application_id == application.id,
                                                      Slot.kind == SlotKind.PITCH)
    if published_only:
        statement = statement.where(PitchSession.status == SessionStatus.PUBLISHED)
    return session.scalar(scoped(statement.order_by(Slot.starts_at), application.event_id))


def application_of(session: Session, user: User, event: Event) -> Application | None:
    return session.scalar(scoped(select(Application).where(
        Application.event_id == event.id, Application.applicant_id == user.id), event))
