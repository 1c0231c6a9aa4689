"""Scheduling by hand: placing, swapping and pinning finalists, and freeing the pitches of a
finalist who withdrew or is no longer one (signals from applications and review).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.applications.signals import application_withdrawn
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.mail.outbox import queue_email
from roadshow.review.signals import finalist_commitments, finalist_demoted
from roadshow.scheduling import solver
from roadshow.scheduling.calendar_entries import organizer_of, pitch_uid
from roadshow.scheduling.exceptions import ScheduleError
from roadshow.scheduling.models import (
    CalendarInvite,
    InviteMethod,
    PitchSession,
    Slot,
    SlotKind,
)
from roadshow.scheduling.pitch_sessions import check_not_started
from roadshow.scheduling.proposals import warnings
from roadshow.scoping import scoped, unscoped

log = logging.getLogger("roadshow.scheduling")


def _check_pitch_slot(slot: Slot) -> None:
    if slot.kind != SlotKind.PITCH:
        raise ScheduleError("not_pitch_slot")


def place(session: Session, actor: User, slot: Slot, application: Application | None,
          *, given: bool = False) -> list[solver.Warning]:
    """Put a finalist in a slot (None empties it); they leave any other slot still to come.

    A slot that has already started is refused (``slot_past``), unless the organizer records a
    pitch that was given there (``given``): that is kept on record and sends nothing, as no
    invitation is ever sent for a time that has passed (see :func:`roadshow.scheduling.sending.plan_invites`)."""
    _check_pitch_slot(slot)
    now = utcnow()
    if application is not None and not given:
        check_not_started(slot.starts_at, now)
    if given and (application is None or slot.starts_at > now):
        raise ScheduleError("given_future")
    if application is not None:
        if application.event_id != slot.session.event_id or application.status != ApplicationStatus.FINALIST:
            raise ScheduleError("not_finalist")
        for other in session.scalars(scoped(select(Slot).join(PitchSession).where(
                Slot.application_id == application.id, PitchSession.event_id == slot.session.event_id,
                Slot.id != slot.id, Slot.ends_at > now), slot.session.event_id)):
            other.application_id = None
            other.pinned = False
            other.sequence += 1
    if slot.application_id != (application.id if application else None):
        slot.application_id = application.id if application else None
        slot.sequence += 1
    slot.pinned = application is not None
    session.flush()
    log.info("user %s placed application %s in slot %s", actor.id,
             application.id if application else None, slot.id)
    return [w for w in warnings(session, slot.session.event) if slot.id in w.slot_ids]


def swap(session: Session, actor: User, first: Slot, second: Slot) -> list[solver.Warning]:
    """Exchange what two pitch slots hold (either may be empty); both are pinned after."""
    _check_pitch_slot(first)
    _check_pitch_slot(second)
    if first.session.event_id != second.session.event_id:
        raise ScheduleError("other_event")
    if first.id == second.id:
        return []
    now = utcnow()
    for s in (first, second):
        check_not_started(s.starts_at, now)
    first.application_id, second.application_id = second.application_id, first.application_id
    for s in (first, second):
        s.sequence += 1
        s.pinned = s.application_id is not None
    session.flush()
    log.info("user %s swapped slots %s and %s", actor.id, first.id, second.id)
    ids = {first.id, second.id}
    return [w for w in warnings(session, first.session.event) if ids & set(w.slot_ids)]


def free_withdrawn(session: Session, actor: User, application: Application) -> list[Slot]:
    """A finalist withdrew: empty each pitch slot they hold that has not ended yet, as the
    organizer would with :func:`place` (None). The slot is open for another finalist, every view
    drops their project, and the next sending cancels their entry in the calendars that hold it
    (theirs and the interested districts'). The organizer is told by email, in the same unit of
    work. A pitch already given stays on record. Returns the freed slots."""
    freed = _free_pitches_to_come(session, actor, application)
    if freed:
        _tell_organizer_of_withdrawal(session, application, freed)
    return freed


def _free_pitches_to_come(session: Session, actor: User, application: Application) -> list[Slot]:
    """Empty each pitch slot of ``application`` that has not ended, as :func:`place` (None)."""
    now = utcnow()
    held = session.scalars(scoped(select(Slot).join(PitchSession).where(
        Slot.application_id == application.id, Slot.kind == SlotKind.PITCH,
        PitchSession.event_id == application.event_id).order_by(Slot.starts_at),
        application.event_id)).all()
    freed = [slot for slot in held if slot.ends_at > now]
    for slot in freed:
        place(session, actor, slot, None)
    return freed


def _tell_organizer_of_withdrawal(session: Session, application: Application, freed: list[Slot]) -> None:
    event = application.event
    organizer = organizer_of(session, event)
    if organizer is None:
        return
    # an invitation already in calendars waits for the organizer's next sending to be cancelled
    invited = session.scalar(unscoped(select(func.count()).select_from(CalendarInvite).where(
        CalendarInvite.uid == pitch_uid(application.id, event),
        CalendarInvite.method == InviteMethod.REQUEST), "a pitch's UID names its event")) or 0
    queue_email(organizer, "scheduling/mail/withdrawn", {
        "user": organizer, "application": application, "event": event, "slots": freed,
        "invited": invited > 0}, session=session)


def _on_application_withdrawn(_sender: Any, *, session: Session, application: Application,
                              actor: User, **_kwargs: Any) -> None:
    free_withdrawn(session, actor, application)


def _pitches_of_finalists(_sender: Any, *, session: Session, event: Event, application_ids: Sequence[int],
                          **_kwargs: Any) -> dict[int, datetime]:
    """Answers the review's question before a new selection: which finalists hold a pitch
    (published or draft), and when the first one starts."""
    out: dict[int, datetime] = {}
    for slot in session.scalars(scoped(select(Slot).join(PitchSession).where(
            PitchSession.event_id == event.id, Slot.kind == SlotKind.PITCH,
            Slot.application_id.in_(list(application_ids))), event)):
        app_id = slot.application_id
        if app_id is not None:
            out[app_id] = min(slot.starts_at, out.get(app_id, slot.starts_at))
    return out


def _on_finalist_demoted(_sender: Any, *, session: Session, application: Application, actor: User,
                         **_kwargs: Any) -> None:
    """A finalist was told they are no longer one: their pitches still to come are freed (the
    next calendar sending cancels them); a pitch already given stays on record."""
    _free_pitches_to_come(session, actor, application)


def set_pinned(session: Session, actor: User, slot: Slot, pinned: bool) -> None:
    _check_pitch_slot(slot)
    slot.pinned = pinned
    session.flush()


# a withdrawal frees the finalist's slot in the withdrawal's own transaction (see
# roadshow.applications.signals): the applications domain does not know about schedules
application_withdrawn.connect(_on_application_withdrawn)
# the review asks who is scheduled before a new selection, and tells who is no longer a finalist
finalist_commitments.connect(_pitches_of_finalists)
finalist_demoted.connect(_on_finalist_demoted)
