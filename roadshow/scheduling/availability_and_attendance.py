"""Applicants' availability windows (stored in UTC) and the sessions judges and recruiters attend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.events.models import Event
from roadshow.organisations import grants
from roadshow.organisations.grants import Grant
from roadshow.scheduling import timeutil
from roadshow.scheduling.exceptions import ScheduleError
from roadshow.scheduling.models import (
    AttendanceRole,
    Availability,
    PitchSession,
    SessionAttendance,
)
from roadshow.scheduling.queries import schedule_span, sessions_of
from roadshow.scoping import scoped


def availability_windows(session: Session, user: User, event: Event) -> tuple[list[tuple[datetime, datetime]], bool]:
    """The user's windows (UTC) and whether they were stated (False: the default applies)."""
    row = session.scalar(scoped(select(Availability).where(
        Availability.user_id == user.id, Availability.event_id == event.id), event))
    if row is not None:
        return row.intervals(), True
    start, end = schedule_span(session, event)
    return timeutil.default_windows(start, end, user.timezone), False


def local_days(session: Session, event: Event, zone: str) -> list[date]:
    start, end = schedule_span(session, event)
    return timeutil.local_days(start, end, zone)


def check_window(start: time, end: time) -> None:
    """Refuse one typed availability window that ends at the time it starts."""
    try:
        timeutil.check_window(start, end)
    except timeutil.SameTimesError:
        raise ScheduleError("same_times") from None


def save_availability(session: Session, actor: User, event: Event,
                      rows: Sequence[tuple[date, time, time]], zone: str) -> Availability:
    """Store the windows the applicant entered in ``zone`` as UTC intervals.

    An end before the start runs past midnight; an end equal to the start is refused
    (``same_times``) and nothing is changed."""
    windows = []
    for day, start, end in rows:
        try:
            windows.append(timeutil.window(day, start, end, zone))
        except timeutil.SameTimesError:
            raise ScheduleError("same_times") from None
        except timeutil.LocalTimeError:
            raise ScheduleError("time_missing", zone=zone) from None
    row = session.scalar(scoped(select(Availability).where(
        Availability.user_id == actor.id, Availability.event_id == event.id), event))
    if row is None:
        row = Availability(user_id=actor.id, event_id=event.id, zone=zone)
        session.add(row)
    row.zone = zone
    row.windows = timeutil.serialise(timeutil.merge(windows))
    session.flush()
    return row


def attendance_role(grant: Grant) -> AttendanceRole:
    """What the person attends a session as, from their roles in its event (a judge who also
    recruits attends as a judge)."""
    if Role.JUDGE in grant.roles:
        return AttendanceRole.JUDGE
    if Role.RECRUITER in grant.roles:
        return AttendanceRole.RECRUITER
    return AttendanceRole.ORGANIZER


def attending_ids(session: Session, user: User, event: Event) -> set[int]:
    return set(session.scalars(scoped(
        select(SessionAttendance.session_id).join(PitchSession)
        .where(SessionAttendance.user_id == user.id, PitchSession.event_id == event.id), event)))


def set_attendance(session: Session, actor: User, event: Event, session_ids: Iterable[int],
                   grant: Grant | None = None) -> None:
    """The sessions a judge or recruiter attends (the others are dropped); ``grant`` is the
    actor's in ``event`` (loaded when not given)."""
    grant = grant if grant is not None else grants.in_event(session, actor, event)
    wanted = set(session_ids)
    valid = {s.id for s in sessions_of(session, event)}
    if wanted - valid:
        raise ScheduleError("unknown_session")
    current = {a.session_id: a for a in session.scalars(scoped(
        select(SessionAttendance).join(PitchSession)
        .where(SessionAttendance.user_id == actor.id, PitchSession.event_id == event.id), event))}
    for sid, row in current.items():
        if sid not in wanted:
            session.delete(row)
    for sid in sorted(wanted - set(current)):
        session.add(SessionAttendance(session_id=sid, user_id=actor.id, role=attendance_role(grant)))
    session.flush()
