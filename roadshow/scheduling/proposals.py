"""Running the solver over every session: its proposal, the availability it read, warnings and why
some finalists cannot be placed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.scheduling import solver, timeutil
from roadshow.scheduling.models import (
    Availability,
    PitchSession,
    Slot,
    SlotKind,
)
from roadshow.scheduling.queries import finalists, schedule_span, sessions_of
from roadshow.scoping import scoped

log = logging.getLogger("roadshow.scheduling")


def _applicant_inputs(session: Session, event: Event, apps: Sequence[Application]) -> list[solver.ApplicantIn]:
    span = schedule_span(session, event)
    stated = {a.user_id: a for a in session.scalars(scoped(
        select(Availability).where(Availability.event_id == event.id,
                                   Availability.user_id.in_([a.applicant_id for a in apps])), event))}
    out = []
    for app in apps:
        row = stated.get(app.applicant_id)
        windows = row.intervals() if row else timeutil.default_windows(*span, app.applicant.timezone)
        out.append(solver.ApplicantIn(app.id, applicant_name(app), app.applicant.timezone,
                                      tuple(windows), app.track_id))
    return out


def applicant_name(app: Application) -> str:
    return app.applicant.name


def _slot_inputs(sessions: Sequence[PitchSession], *, started_fixed: bool = True) -> list[solver.SlotIn]:
    """The pitch slots for the solver; one that has started is fixed as it is (pinned)."""
    now = utcnow()
    out = []
    for ps in sessions:
        for s in ps.slots:
            if s.kind != SlotKind.PITCH:
                continue
            fixed = s.pinned or (started_fixed and s.starts_at <= now)
            out.append(solver.SlotIn(s.id, s.starts_at, s.ends_at, ps.id, ps.track_id,
                                     s.application_id if fixed else None, fixed))
    return out


def propose(session: Session, actor: User, event: Event, *, record_started: bool = False) -> solver.Result:
    """Run the solver over every session and write its proposal into the unpinned slots still
    to come; slots that have started keep what they hold. ``record_started`` fills those too, as
    pitches given (the demo builds a roadshow already under way); nothing is sent for them."""
    sessions = sessions_of(session, event)
    apps = finalists(session, event)
    slots = _slot_inputs(sessions, started_fixed=not record_started)
    result = solver.solve(_applicant_inputs(session, event, apps), slots)
    by_slot = {slot_id: app_id for app_id, slot_id in result.assignment.items()}
    now = utcnow()
    for ps in sessions:
        for s in ps.slots:
            if s.kind != SlotKind.PITCH or s.pinned or (s.starts_at <= now and not record_started):
                continue
            new = by_slot.get(s.id)
            if new != s.application_id:
                s.application_id = new
                s.sequence += 1
    session.flush()
    log.info("user %s ran the scheduler for event %s: %s, objective %s, %s unplaced",
             actor.id, event.id, result.status, result.objective, len(result.unplaced))
    return result


@dataclass
class AvailabilityRow:
    application: Application
    zone: str
    stated: bool
    windows: list[tuple[datetime, datetime]]


def availability_overview(session: Session, event: Event) -> list[AvailabilityRow]:
    """Every finalist's availability, stated or assumed, for the organizer's review."""
    apps = finalists(session, event)
    inputs = {a.id: a for a in _applicant_inputs(session, event, apps)}
    stated = set(session.scalars(scoped(
        select(Availability.user_id).where(Availability.event_id == event.id), event)))
    return [AvailabilityRow(app, app.applicant.timezone, app.applicant_id in stated,
                            list(inputs[app.id].windows)) for app in apps]


def warnings(session: Session, event: Event) -> list[solver.Warning]:
    sessions = sessions_of(session, event)
    apps = finalists(session, event)
    pairs = [(s.application_id, s.id) for ps in sessions for s in ps.slots
             if s.kind == SlotKind.PITCH and s.application_id]
    placed_apps = {a for a, _s in pairs}
    extra = [a for a in session.scalars(scoped(
        select(Application).where(Application.id.in_(placed_apps)), event))
             if a.id not in {f.id for f in apps}]
    return solver.check(pairs, _applicant_inputs(session, event, [*apps, *extra]), _slot_inputs(sessions))


def unplaced(session: Session, event: Event) -> list[Application]:
    placed = set(session.scalars(scoped(select(Slot.application_id).join(PitchSession)
                                        .where(PitchSession.event_id == event.id,
                                               Slot.application_id.is_not(None)), event)))
    return [a for a in finalists(session, event) if a.id not in placed]


def explain(session: Session, event: Event) -> dict[int, solver.Unplaced]:
    """Why the finalists still unplaced cannot go anywhere (only those with a reason)."""
    apps = finalists(session, event)
    inputs = _applicant_inputs(session, event, apps)
    slots = _slot_inputs(sessions_of(session, event))
    return {u.application_id: u for u in solver.explain_unplaceable(inputs, slots)}
