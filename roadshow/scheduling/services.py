"""Scheduling: sessions and slots, availability, attendance, the solver run, hand edits,
publishing, calendar invites (REQUEST / CANCEL with rising SEQUENCE), feeds and RSVPs.

Every write takes the SQLAlchemy session and the acting user; nothing reads flask.session or
the request. Views commit once.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.applications.signals import application_withdrawn
from roadshow.db import utcnow
from roadshow.events.models import Event, PhaseKind
from roadshow.review.signals import finalist_commitments, finalist_demoted
from roadshow.scheduling import invites, solver, timeutil
from roadshow.scheduling.models import (
    AttendanceRole,
    Availability,
    CalendarInvite,
    FeedToken,
    InviteMethod,
    PitchSession,
    Rsvp,
    RsvpStatus,
    SendJob,
    SessionAttendance,
    SessionStatus,
    Slot,
    SlotKind,
)

log = logging.getLogger("roadshow.scheduling")

DISTRICT_MINUTES_DEFAULT = 10


class ScheduleError(ValueError):
    """A refused change; ``code`` picks the translated message shown to the user."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# --- reading -------------------------------------------------------------------------------

def sessions_of(session: Session, event: Event, *, published_only: bool = False) -> list[PitchSession]:
    statement = (select(PitchSession).where(PitchSession.event_id == event.id)
                 .options(selectinload(PitchSession.slots).selectinload(Slot.application),
                          selectinload(PitchSession.attendances))
                 .order_by(PitchSession.starts_at, PitchSession.id))
    if published_only:
        statement = statement.where(PitchSession.status == SessionStatus.PUBLISHED)
    return list(session.scalars(statement))


def finalists(session: Session, event: Event) -> list[Application]:
    return list(session.scalars(
        select(Application).where(Application.event_id == event.id,
                                  Application.status == ApplicationStatus.FINALIST)
        .options(selectinload(Application.applicant), selectinload(Application.districts))
        .order_by(Application.id)))


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
    return session.scalar(statement.order_by(Slot.starts_at))


def application_of(session: Session, user: User, event: Event) -> Application | None:
    return session.scalar(select(Application).where(Application.event_id == event.id,
                                                    Application.applicant_id == user.id))


# --- sessions and slots ----------------------------------------------------------------------

@dataclass
class SessionData:
    title_zh: str
    title_en: str
    day: date
    start: time
    end: time
    track_id: int | None = None
    join_url: str = ""
    pitch_minutes: int = 12
    qa_minutes: int = 8
    #: breaks as local (start, end) times on the same day
    breaks: list[tuple[time, time]] = field(default_factory=list)
    #: districts presenting their offers at the start of the session
    district_ids: list[int] = field(default_factory=list)
    district_minutes: int = DISTRICT_MINUTES_DEFAULT


def parse_breaks(text: str) -> list[tuple[time, time]]:
    """``12:00-12:30, 15:00-15:10`` -> [(12:00, 12:30), (15:00, 15:10)]; ValueError if unreadable."""
    breaks = []
    for part in text.replace("，", ",").replace(";", ",").split(","):
        part = part.strip().replace("–", "-").replace("—", "-")
        if not part:
            continue
        a, sep, b = part.partition("-")
        if not sep:
            raise ScheduleError("break_format", text=part)
        try:
            start, end = time.fromisoformat(a.strip()), time.fromisoformat(b.strip())
        except ValueError:
            raise ScheduleError("break_format", text=part) from None
        if end <= start:
            raise ScheduleError("break_order", text=part)
        breaks.append((start, end))
    return sorted(breaks)


def format_breaks(pitch_session: PitchSession, zone: str) -> str:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    return ", ".join(
        f"{s.starts_at.astimezone(tz):%H:%M}-{s.ends_at.astimezone(tz):%H:%M}"
        for s in pitch_session.slots if s.kind == SlotKind.BREAK)


def _layout(event: Event, data: SessionData) -> tuple[datetime, datetime, list[tuple[SlotKind, int | None, datetime, datetime]]]:
    """The session's UTC times and its slot grid: district presentations, pitches, breaks."""
    zone = event.timezone
    if data.start == data.end:
        raise ScheduleError("session_same_times")
    try:
        start, end = timeutil.interval(data.day, data.start, data.end, zone)
        breaks = [timeutil.interval(data.day, a, b, zone) for a, b in data.breaks]
    except timeutil.LocalTimeError:
        raise ScheduleError("time_missing", zone=zone) from None
    if end - start > timedelta(hours=14):
        raise ScheduleError("too_long")
    slot_minutes = data.pitch_minutes + data.qa_minutes
    if slot_minutes < 5:
        raise ScheduleError("slot_too_short")
    for a, b in breaks:
        if a < start or b > end:
            raise ScheduleError("break_outside")
    grid: list[tuple[SlotKind, int | None, datetime, datetime]] = []
    t = start
    for district_id in data.district_ids:
        b = t + timedelta(minutes=data.district_minutes)
        grid.append((SlotKind.DISTRICT, district_id, t, b))
        t = b
    if t > end:
        raise ScheduleError("districts_overflow")
    for a, b in breaks:
        grid.append((SlotKind.BREAK, None, a, b))
    for a, b in timeutil.slot_times(t, end, slot_minutes, breaks):
        grid.append((SlotKind.PITCH, None, a, b))
    if not any(kind == SlotKind.PITCH for kind, *_rest in grid):
        raise ScheduleError("no_pitch_slots")
    grid.sort(key=lambda g: g[2])
    return start, end, grid


def save_session(session: Session, actor: User, event: Event, data: SessionData,
                 pitch_session: PitchSession | None = None) -> PitchSession:
    """Create a session, or change one: its grid is rebuilt and its finalists keep their order."""
    start, end, grid = _layout(event, data)
    if pitch_session is None:
        pitch_session = PitchSession(event_id=event.id, event=event)
        session.add(pitch_session)
    times_changed = (pitch_session.id is not None and
                     (pitch_session.starts_at, pitch_session.ends_at) != (start, end))
    link_changed = pitch_session.id is not None and pitch_session.join_url != data.join_url
    pitch_session.title_zh = data.title_zh.strip()
    pitch_session.title_en = data.title_en.strip()
    pitch_session.track_id = data.track_id
    pitch_session.join_url = data.join_url.strip()
    pitch_session.starts_at, pitch_session.ends_at = start, end
    pitch_session.pitch_minutes = data.pitch_minutes
    pitch_session.qa_minutes = data.qa_minutes
    pitch_session.slot_minutes = data.pitch_minutes + data.qa_minutes
    if times_changed or link_changed:
        pitch_session.sequence += 1

    # Rebuild the grid, reusing slots so their calendar UIDs stay: pitches in order (placed
    # finalists keep their order, in the new times), district presentations by district,
    # breaks in order. Whatever changed time or link raises its SEQUENCE.
    pools: dict[Any, list[Slot]] = defaultdict(list)
    for s in sorted(pitch_session.slots, key=lambda x: (x.starts_at, x.id)):
        key = (s.kind, s.district_id) if s.kind == SlotKind.DISTRICT else s.kind
        pools[key].append(s)
    overflow: list[int] = []
    for position, (kind, district_id, a, b) in enumerate(grid):
        key = (kind, district_id) if kind == SlotKind.DISTRICT else kind
        if pools.get(key):
            old = pools[key].pop(0)
            if old.application_id and (old.starts_at, old.ends_at) != (a, b):
                check_not_started(a)  # a placed pitch is never moved into the past
            if (old.starts_at, old.ends_at) != (a, b) or link_changed:
                old.sequence += 1
            old.starts_at, old.ends_at, old.position = a, b, position
        else:
            pitch_session.slots.append(Slot(kind=kind, district_id=district_id, starts_at=a,
                                            ends_at=b, position=position))
    for leftovers in pools.values():
        for s in leftovers:
            if s.application_id:
                overflow.append(s.application_id)
            pitch_session.slots.remove(s)
    session.flush()
    log.info("user %s saved session %s (%s slots; %s finalists no longer fit)",
             actor.id, pitch_session.id, len(pitch_session.slots), len(overflow))
    return pitch_session


def session_data_of(pitch_session: PitchSession, zone: str) -> SessionData:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    start = pitch_session.starts_at.astimezone(tz)
    end = pitch_session.ends_at.astimezone(tz)
    districts = [s for s in pitch_session.slots if s.kind == SlotKind.DISTRICT]
    return SessionData(
        title_zh=pitch_session.title_zh, title_en=pitch_session.title_en, day=start.date(),
        start=start.time(), end=end.time(), track_id=pitch_session.track_id,
        join_url=pitch_session.join_url, pitch_minutes=pitch_session.pitch_minutes,
        qa_minutes=pitch_session.qa_minutes,
        breaks=[(s.starts_at.astimezone(tz).time(), s.ends_at.astimezone(tz).time())
                for s in pitch_session.slots if s.kind == SlotKind.BREAK],
        district_ids=[s.district_id for s in districts if s.district_id],
        district_minutes=districts[0].minutes if districts else DISTRICT_MINUTES_DEFAULT,
    )


def delete_session(session: Session, actor: User, pitch_session: PitchSession) -> None:
    """Remove a session; calendars that received it get a CANCEL on the next send."""
    log.info("user %s deleted session %s", actor.id, pitch_session.id)
    session.delete(pitch_session)
    session.flush()


# --- availability and attendance -------------------------------------------------------------

def availability_windows(session: Session, user: User, event: Event) -> tuple[list[tuple[datetime, datetime]], bool]:
    """The user's windows (UTC) and whether they were stated (False: the default applies)."""
    row = session.scalar(select(Availability).where(Availability.user_id == user.id,
                                                    Availability.event_id == event.id))
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
    row = session.scalar(select(Availability).where(Availability.user_id == actor.id,
                                                    Availability.event_id == event.id))
    if row is None:
        row = Availability(user_id=actor.id, event_id=event.id, zone=zone)
        session.add(row)
    row.zone = zone
    row.windows = timeutil.serialise(timeutil.merge(windows))
    session.flush()
    return row


def attendance_role(user: User) -> AttendanceRole:
    return {Role.JUDGE: AttendanceRole.JUDGE, Role.RECRUITER: AttendanceRole.RECRUITER}.get(
        user.role, AttendanceRole.ORGANIZER)


def attending_ids(session: Session, user: User, event: Event) -> set[int]:
    return set(session.scalars(
        select(SessionAttendance.session_id).join(PitchSession)
        .where(SessionAttendance.user_id == user.id, PitchSession.event_id == event.id)))


def set_attendance(session: Session, actor: User, event: Event, session_ids: Iterable[int]) -> None:
    """The sessions a judge or recruiter attends (the others are dropped)."""
    wanted = set(session_ids)
    valid = {s.id for s in sessions_of(session, event)}
    if wanted - valid:
        raise ScheduleError("unknown_session")
    current = {a.session_id: a for a in session.scalars(
        select(SessionAttendance).join(PitchSession)
        .where(SessionAttendance.user_id == actor.id, PitchSession.event_id == event.id))}
    for sid, row in current.items():
        if sid not in wanted:
            session.delete(row)
    for sid in sorted(wanted - set(current)):
        session.add(SessionAttendance(session_id=sid, user_id=actor.id, role=attendance_role(actor)))
    session.flush()


# --- the solver -------------------------------------------------------------------------------

def _applicant_inputs(session: Session, event: Event, apps: Sequence[Application]) -> list[solver.ApplicantIn]:
    span = schedule_span(session, event)
    stated = {a.user_id: a for a in session.scalars(
        select(Availability).where(Availability.event_id == event.id,
                                   Availability.user_id.in_([a.applicant_id for a in apps])))}
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
    stated = set(session.scalars(select(Availability.user_id).where(Availability.event_id == event.id)))
    return [AvailabilityRow(app, app.applicant.timezone, app.applicant_id in stated,
                            list(inputs[app.id].windows)) for app in apps]


def warnings(session: Session, event: Event) -> list[solver.Warning]:
    sessions = sessions_of(session, event)
    apps = finalists(session, event)
    pairs = [(s.application_id, s.id) for ps in sessions for s in ps.slots
             if s.kind == SlotKind.PITCH and s.application_id]
    placed_apps = {a for a, _s in pairs}
    extra = [a for a in session.scalars(select(Application).where(Application.id.in_(placed_apps)))
             if a.id not in {f.id for f in apps}]
    return solver.check(pairs, _applicant_inputs(session, event, [*apps, *extra]), _slot_inputs(sessions))


def unplaced(session: Session, event: Event) -> list[Application]:
    placed = set(session.scalars(select(Slot.application_id).join(PitchSession)
                                 .where(PitchSession.event_id == event.id,
                                        Slot.application_id.is_not(None))))
    return [a for a in finalists(session, event) if a.id not in placed]


def explain(session: Session, event: Event) -> dict[int, solver.Unplaced]:
    """Why the finalists still unplaced cannot go anywhere (only those with a reason)."""
    apps = finalists(session, event)
    inputs = _applicant_inputs(session, event, apps)
    slots = _slot_inputs(sessions_of(session, event))
    return {u.application_id: u for u in solver.explain_unplaceable(inputs, slots)}


def _check_pitch_slot(slot: Slot) -> None:
    if slot.kind != SlotKind.PITCH:
        raise ScheduleError("not_pitch_slot")


def check_not_started(starts_at: datetime, now: datetime | None = None) -> None:
    """Refuse a change to a slot starting at ``starts_at`` if that has passed: no invitation
    goes out for a past time. ``slot_past`` names the start."""
    if starts_at <= (now or utcnow()):
        raise ScheduleError("slot_past", when=starts_at)


def place(session: Session, actor: User, slot: Slot, application: Application | None,
          *, given: bool = False) -> list[solver.Warning]:
    """Put a finalist in a slot (None empties it); they leave any other slot still to come.

    A slot that has already started is refused (``slot_past``), unless the organizer records a
    pitch that was given there (``given``): that is kept on record and sends nothing, as no
    invitation is ever sent for a time that has passed (see :func:`plan_invites`)."""
    _check_pitch_slot(slot)
    now = utcnow()
    if application is not None and not given:
        check_not_started(slot.starts_at, now)
    if given and (application is None or slot.starts_at > now):
        raise ScheduleError("given_future")
    if application is not None:
        if application.event_id != slot.session.event_id or application.status != ApplicationStatus.FINALIST:
            raise ScheduleError("not_finalist")
        for other in session.scalars(select(Slot).join(PitchSession).where(
                Slot.application_id == application.id, PitchSession.event_id == slot.session.event_id,
                Slot.id != slot.id, Slot.ends_at > now)):
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
    held = session.scalars(select(Slot).join(PitchSession).where(
        Slot.application_id == application.id, Slot.kind == SlotKind.PITCH,
        PitchSession.event_id == application.event_id).order_by(Slot.starts_at)).all()
    freed = [slot for slot in held if slot.ends_at > now]
    for slot in freed:
        place(session, actor, slot, None)
    return freed


def _tell_organizer_of_withdrawal(session: Session, application: Application, freed: list[Slot]) -> None:
    from roadshow.mail.outbox import queue_email

    event = application.event
    organizer = organizer_of(session, event)
    if organizer is None:
        return
    # an invitation already in calendars waits for the organizer's next sending to be cancelled
    invited = session.scalar(select(func.count()).select_from(CalendarInvite).where(
        CalendarInvite.uid == pitch_uid(application.id, event),
        CalendarInvite.method == InviteMethod.REQUEST)) or 0
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
    for slot in session.scalars(select(Slot).join(PitchSession).where(
            PitchSession.event_id == event.id, Slot.kind == SlotKind.PITCH,
            Slot.application_id.in_(list(application_ids)))):
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


def publish(session: Session, actor: User, event: Event) -> int:
    """Publish every draft session; returns how many were published."""
    count = 0
    for ps in sessions_of(session, event):
        if ps.status != SessionStatus.PUBLISHED:
            ps.status = SessionStatus.PUBLISHED
            ps.published_at = utcnow()
            count += 1
    session.flush()
    log.info("user %s published %s sessions of event %s", actor.id, count, event.id)
    return count


def unpublish(session: Session, actor: User, pitch_session: PitchSession) -> None:
    pitch_session.status = SessionStatus.DRAFT
    session.flush()


# --- calendar occurrences -----------------------------------------------------------------------

def organizer_of(session: Session, event: Event) -> User | None:
    return session.scalar(select(User).where(User.role == Role.ORGANIZER, User.active.is_(True))
                          .order_by(User.id))


def _person(user: User, role: str, rsvps: dict[tuple[int, str], Rsvp], uid: str,
            *, rsvp: bool = True) -> invites.Person:
    answer = rsvps.get((user.id, uid))
    partstat = answer.status.value.upper() if answer else "NEEDS-ACTION"
    return invites.Person(user.email, user.name, role=role, partstat=partstat, rsvp=rsvp)


def pitch_uid(application_id: int, event: Event) -> str:
    """One UID per finalist's pitch, whichever slot it moves to: moves update, never duplicate."""
    return f"pitch-{event.id}-{application_id}@roadshow"


def slot_uid(slot: Slot, event: Event) -> str:
    if slot.kind == SlotKind.PITCH and slot.application_id:
        return pitch_uid(slot.application_id, event)
    return f"{slot.uid}@roadshow"


def session_uid(pitch_session: PitchSession) -> str:
    return f"{pitch_session.uid}@roadshow"


def _interested_districts(session: Session, app_ids: Iterable[int]) -> dict[int, set[int]]:
    """application id -> districts interested (review marks, or chosen by the applicant)."""
    ids = list(app_ids)
    out: dict[int, set[int]] = defaultdict(set)
    try:
        from roadshow.review.models import DistrictInterest, InterestLevel
    except ImportError:  # the review domain is optional
        DistrictInterest = None  # type: ignore[assignment]  # noqa: N806
    if DistrictInterest is not None and ids:
        for row in session.scalars(select(DistrictInterest).where(DistrictInterest.application_id.in_(ids))):
            if row.level != InterestLevel.NONE:
                out[row.application_id].add(row.district_id)
    if ids:
        for app in session.scalars(select(Application).where(Application.id.in_(ids))
                                   .options(selectinload(Application.districts))):
            out[app.id].update(d.id for d in app.districts)
    return out


@dataclass
class Delivery:
    """One calendar entry for one person."""

    user: User
    occurrence: invites.Occurrence
    slot_id: int | None = None
    session_id: int | None = None

    @property
    def uid(self) -> str:
        return self.occurrence.uid


def _fingerprint(occ: invites.Occurrence) -> str:
    text = "|".join([occ.starts_at.isoformat(), occ.ends_at.isoformat(), occ.join_url,
                     occ.summary_en, occ.summary_zh])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def deliveries(session: Session, event: Event, *, published_only: bool = True) -> list[Delivery]:
    """What every participant's calendar should hold now, from the published schedule.

    Applicants: their pitch. Recruiters: each pitch their district is interested in (and that
    they attend the session of, if they chose sessions), and their district's presentation.
    Judges and recruiters: each session they attend. Organizer: every session, as chair.
    """
    sessions = sessions_of(session, event, published_only=published_only)
    organizer = organizer_of(session, event)
    app_ids = [s.application_id for ps in sessions for s in ps.slots if s.application_id]
    apps = {a.id: a for a in session.scalars(select(Application).where(Application.id.in_(app_ids))
                                             .options(selectinload(Application.applicant)))}
    interested = _interested_districts(session, app_ids)
    recruiters: dict[int, list[User]] = defaultdict(list)
    for user in session.scalars(select(User).where(User.role == Role.RECRUITER, User.active.is_(True),
                                                   User.district_id.is_not(None)).order_by(User.id)):
        recruiters[user.district_id].append(user)  # type: ignore[index]
    attendees: dict[int, list[User]] = defaultdict(list)
    for row in session.scalars(select(SessionAttendance).join(PitchSession)
                               .where(PitchSession.event_id == event.id)
                               .options(selectinload(SessionAttendance.user))):
        if row.user.active:
            attendees[row.session_id].append(row.user)
    rsvps = {(r.user_id, r.uid): r for r in session.scalars(select(Rsvp))}
    chair = invites.Person(organizer.email, organizer.name, role=invites.CHAIR) if organizer else None
    title_en, title_zh = event.title_en, event.title_zh
    out: list[Delivery] = []
    for ps in sessions:
        attending = attendees.get(ps.id, [])
        attending_ids = {u.id for u in attending}
        # the whole session for its judges, recruiters and the organizer
        uid = session_uid(ps)
        people = [_person(u, invites.REQUIRED if u.role == Role.JUDGE else invites.OPTIONAL, rsvps, uid)
                  for u in attending]
        occ = invites.Occurrence(
            uid=uid, sequence=ps.sequence, starts_at=ps.starts_at, ends_at=ps.ends_at,
            summary_en=f"{title_en}: {ps.title_en}", summary_zh=f"{title_zh}：{ps.title_zh}",
            description_en=_session_text(ps, apps, "en", event.timezone),
            description_zh=_session_text(ps, apps, "zh", event.timezone),
            join_url=ps.join_url, event_zone=event.timezone, organizer=chair,
            attendees=tuple(people), categories=("Roadshow",))
        for user in attending:
            out.append(Delivery(user, occ, session_id=ps.id))
        if organizer is not None and organizer.id not in attending_ids:
            out.append(Delivery(organizer, occ, session_id=ps.id))
        for s in ps.slots:
            if s.kind == SlotKind.PITCH and s.application_id in apps:
                app = apps[s.application_id]
                uid = pitch_uid(app.id, event)
                district_people = [r for d in sorted(interested.get(app.id, ()))
                                   for r in recruiters.get(d, [])]
                people = [_person(app.applicant, invites.REQUIRED, rsvps, uid)]
                people += [_person(r, invites.OPTIONAL, rsvps, uid) for r in district_people]
                occ = invites.Occurrence(
                    uid=uid, sequence=s.sequence, starts_at=s.starts_at, ends_at=s.ends_at,
                    summary_en=f"Pitch: {app.title_en or app.title_zh}",
                    summary_zh=f"路演：{app.title_zh or app.title_en}",
                    description_en=(f"{title_en}, session \"{ps.title_en}\". Pitch {ps.pitch_minutes} min, "
                                    f"questions {ps.qa_minutes} min. Presenter: {app.applicant.name}."),
                    description_zh=(f"{title_zh}「{ps.title_zh}」场次。项目陈述 {ps.pitch_minutes} 分钟，"
                                    f"问答 {ps.qa_minutes} 分钟。路演人：{app.applicant.name_native or app.applicant.name}。"),
                    join_url=ps.join_url, event_zone=event.timezone, organizer=chair,
                    attendees=tuple(people), categories=("Roadshow", "Pitch"))
                out.append(Delivery(app.applicant, occ, slot_id=s.id, session_id=ps.id))
                for r in district_people:
                    out.append(Delivery(r, occ, slot_id=s.id, session_id=ps.id))
            elif s.kind == SlotKind.DISTRICT and s.district_id:
                uid = slot_uid(s, event)
                district = s.district
                people = [_person(r, invites.REQUIRED, rsvps, uid) for r in recruiters.get(s.district_id, [])]
                occ = invites.Occurrence(
                    uid=uid, sequence=s.sequence, starts_at=s.starts_at, ends_at=s.ends_at,
                    summary_en=f"District presentation: {district.name_en if district else ''}",
                    summary_zh=f"板块推介：{district.name_zh if district else ''}",
                    description_en=f"{title_en}, session \"{ps.title_en}\".",
                    description_zh=f"{title_zh}「{ps.title_zh}」场次。",
                    join_url=ps.join_url, event_zone=event.timezone, organizer=chair,
                    attendees=tuple(people), categories=("Roadshow", "District"))
                for r in recruiters.get(s.district_id, []):
                    out.append(Delivery(r, occ, slot_id=s.id, session_id=ps.id))
    _raise_to_sent(session, out)
    return out


def sent_floor(session: Session, wanted: Sequence[Delivery]) -> dict[str, int]:
    """uid -> the lowest SEQUENCE a download or feed of the entry may carry.

    It is the highest SEQUENCE any email carried for the entry, one more if the entry changed
    since (the next sending will announce it at that number) or if the latest email was a
    CANCEL (the entry is back): a calendar never sees a download as older than what it holds.
    """
    fingerprints = {d.uid: _fingerprint(d.occurrence) for d in wanted}
    if not fingerprints:
        return {}
    rows: dict[str, list[tuple[int, InviteMethod, str]]] = defaultdict(list)
    for uid, sequence, method, fingerprint in session.execute(
            select(CalendarInvite.uid, CalendarInvite.sequence, CalendarInvite.method,
                   CalendarInvite.fingerprint).where(CalendarInvite.uid.in_(list(fingerprints)))):
        rows[uid].append((sequence, method, fingerprint))
    floor = {}
    for uid, sent in rows.items():
        top = max(sequence for sequence, _m, _f in sent)
        changed = any(method == InviteMethod.REQUEST and fingerprint != fingerprints[uid]
                      for _s, method, fingerprint in sent)
        cancelled_last = any(method == InviteMethod.CANCEL and sequence == top for sequence, method, _f in sent)
        floor[uid] = top + 1 if changed or cancelled_last else top
    return floor


def _raise_to_sent(session: Session, out: list[Delivery]) -> None:
    """Give every entry at least the SEQUENCE of :func:`sent_floor` (emails raise it above the
    slot's own counter after a cancellation and a new invitation)."""
    floor = sent_floor(session, out)
    raised: dict[str, invites.Occurrence] = {}  # one occurrence per uid, shared by its people
    for d in out:
        low = floor.get(d.uid)
        if low is None or d.occurrence.sequence >= low:
            continue
        if d.uid not in raised:
            raised[d.uid] = _with_sequence(d.occurrence, low)
        d.occurrence = raised[d.uid]


def _session_text(ps: PitchSession, apps: dict[int, Application], lang: str, zone: str) -> str:
    """The session's running order in the event's zone, which the heading names (the same
    text goes to everyone invited, as the invite's "Event time" does)."""
    tz = ZoneInfo(zone)
    lines = []
    for s in ps.slots:
        at = f"{s.starts_at.astimezone(tz):%H:%M}"
        if s.kind == SlotKind.PITCH and s.application_id in apps:
            app = apps[s.application_id]
            title = (app.title_zh or app.title_en) if lang == "zh" else (app.title_en or app.title_zh)
            lines.append(f"{at} {title}")
        elif s.kind == SlotKind.DISTRICT and s.district:
            name = s.district.name_zh if lang == "zh" else s.district.name_en
            lines.append(f"{at} " + (f"板块推介：{name}" if lang == "zh" else f"District: {name}"))
        elif s.kind == SlotKind.BREAK:
            lines.append(f"{at} " + ("休息" if lang == "zh" else "Break"))
    offset = f"UTC{ps.starts_at.astimezone(tz):%z}"
    head = f"路演顺序（{zone}，{offset}）：" if lang == "zh" else f"Running order ({zone}, {offset}):"
    return head + "\n" + "\n".join(lines)


@dataclass
class Planned:
    user: User
    method: InviteMethod
    occurrence: invites.Occurrence
    fingerprint: str
    slot_id: int | None
    session_id: int | None
    previous: CalendarInvite | None


def plan_invites(session: Session, event: Event) -> list[Planned]:
    """The REQUESTs and CANCELs needed to bring every calendar in line with the schedule.

    A UID's SEQUENCE rises above everything sent for it whenever its time, place or title
    changes (or it comes back after a cancellation); a person who should no longer hold an
    entry gets a CANCEL with a SEQUENCE higher still. Unchanged entries send nothing.
    """
    now = utcnow()
    # nothing is sent for an entry that has already started: a pitch recorded as given, a
    # session under way (nor cancelled: a past entry is history, not a plan)
    wanted = [d for d in deliveries(session, event) if d.occurrence.starts_at > now]
    existing_sessions = {ps.id for ps in sessions_of(session, event)}
    prefix = f"pitch-{event.id}-"
    sent: dict[tuple[int, str], CalendarInvite] = {}
    for row in session.scalars(select(CalendarInvite).order_by(CalendarInvite.id)):
        # this event's rows: its pitches, its sessions, and rows whose session was deleted
        if row.uid.startswith(prefix) or row.session_id in existing_sessions or row.session_id is None:
            sent[row.user_id, row.uid] = row
    by_uid: dict[str, list[CalendarInvite]] = defaultdict(list)
    for row in sent.values():
        by_uid[row.uid].append(row)
    fingerprints = {d.uid: _fingerprint(d.occurrence) for d in wanted}
    sequence: dict[str, int] = {}
    for uid, fp in fingerprints.items():
        rows = by_uid.get(uid, [])
        if not rows:
            sequence[uid] = 0
            continue
        top = max(r.sequence for r in rows)
        changed = any(r.method == InviteMethod.REQUEST and r.fingerprint != fp for r in rows)
        revived = all(r.method == InviteMethod.CANCEL for r in rows)
        sequence[uid] = top + 1 if changed or revived else top
    planned: list[Planned] = []
    seen: set[tuple[int, str]] = set()
    for d in wanted:
        key = (d.user.id, d.uid)
        if key in seen:
            continue
        seen.add(key)
        previous = sent.get(key)
        seq = sequence[d.uid]
        if previous is not None and previous.method == InviteMethod.CANCEL and previous.sequence >= seq:
            seq = sequence[d.uid] = previous.sequence + 1
        fp = fingerprints[d.uid]
        if previous is not None and previous.method == InviteMethod.REQUEST and \
                previous.fingerprint == fp and previous.sequence == seq:
            continue
        planned.append(Planned(d.user, InviteMethod.REQUEST, _with_sequence(d.occurrence, seq), fp,
                               d.slot_id, d.session_id, previous))
    chair = _chair(session, event)
    for (user_id, uid), row in sent.items():
        if (user_id, uid) in seen or row.method == InviteMethod.CANCEL or row.starts_at <= now:
            continue
        user = session.get(User, user_id)
        if user is None:
            continue
        seq = max(r.sequence for r in by_uid[uid]) + 1
        occ = invites.Occurrence(
            uid=uid, sequence=seq, starts_at=row.starts_at, ends_at=row.ends_at,
            summary_en="Cancelled: roadshow appointment", summary_zh="已取消：路演安排",
            description_en="This appointment was removed from the roadshow schedule.",
            description_zh="该安排已从路演日程中移除。", event_zone=event.timezone,
            organizer=chair, attendees=(invites.Person(user.email, user.name, rsvp=False),))
        planned.append(Planned(user, InviteMethod.CANCEL, occ, "", row.slot_id, row.session_id, row))
    return planned


def _reset_answers_on_change(session: Session, planned: list[Planned]) -> list[Planned]:
    """A new time or place asks everyone again: answers to a changed entry go back to
    NEEDS-ACTION, in the app and in the ATTENDEE lines of the update."""
    from dataclasses import replace

    changed = {p.occurrence.uid for p in planned
               if p.method == InviteMethod.REQUEST and p.previous is not None
               and p.previous.method == InviteMethod.REQUEST and p.previous.fingerprint != p.fingerprint}
    if not changed:
        return planned
    for row in session.scalars(select(Rsvp).where(Rsvp.uid.in_(changed))):
        row.status = RsvpStatus.NEEDS_ACTION
    out = []
    for p in planned:
        if p.occurrence.uid in changed:
            people = tuple(replace(a, partstat="NEEDS-ACTION") for a in p.occurrence.attendees)
            p = replace(p, occurrence=replace(p.occurrence, attendees=people))
        out.append(p)
    return out


def _chair(session: Session, event: Event) -> invites.Person | None:
    organizer = organizer_of(session, event)
    return invites.Person(organizer.email, organizer.name, role=invites.CHAIR) if organizer else None


def _with_sequence(occ: invites.Occurrence, sequence: int) -> invites.Occurrence:
    from dataclasses import replace

    return replace(occ, sequence=sequence)


def send_invites(session: Session, actor: User, event: Event, job: SendJob | None = None,
                 *, progress: Callable[[int, int], None] | None = None,
                 batch: int = 25, email: bool = True) -> SendJob:
    """Send every planned invite by email (queued in the outbox) and record what was sent.

    Commits every ``batch`` messages so progress shows and mail leaves in steps.
    """
    from roadshow.mail.outbox import CalendarPart, queue_email

    planned = _reset_answers_on_change(session, plan_invites(session, event))
    if job is None:
        job = SendJob(event_id=event.id, actor_id=actor.id)
        session.add(job)
    job.total = len(planned)
    job.done = 0
    session.commit()
    stamp = utcnow()
    builder = invites.InviteBatch(stamp)  # identical messages are serialised once
    for i, p in enumerate(planned, start=1):
        user = p.user
        ics = builder.invite(p.occurrence, method=p.method.value, zone=user.timezone, locale=user.locale)
        if email:
            template = "scheduling/mail/invite" if p.method == InviteMethod.REQUEST else "scheduling/mail/cancel"
            queue_email(user, template, {
                "occurrence": p.occurrence, "event": event, "user": user,
                "updated": p.previous is not None and p.previous.method == InviteMethod.REQUEST,
                "session_id": p.session_id,  # the session's live room, linked in the email
            }, calendar=CalendarPart(p.method.value, ics, filename="roadshow.ics"), session=session)
        row = p.previous
        if row is None:
            row = CalendarInvite(user_id=user.id, uid=p.occurrence.uid)
            session.add(row)
        row.sequence = p.occurrence.sequence
        row.method = p.method
        row.starts_at, row.ends_at = p.occurrence.starts_at, p.occurrence.ends_at
        row.fingerprint = p.fingerprint
        row.slot_id, row.session_id = p.slot_id, p.session_id
        row.sent_at = stamp
        if p.method == InviteMethod.REQUEST:
            job.requests += 1
        else:
            job.cancels += 1
        job.done = i
        if i % batch == 0:
            session.commit()
            if progress:
                progress(i, len(planned))
    job.finished_at = utcnow()
    session.commit()
    if progress:
        progress(len(planned), len(planned))
    log.info("user %s sent %s invites (%s requests, %s cancels) for event %s",
             actor.id, job.total, job.requests, job.cancels, event.id)
    return job


# --- feeds, downloads and RSVPs ------------------------------------------------------------------

def feed_token(session: Session, user: User) -> FeedToken:
    token = session.scalar(select(FeedToken).where(FeedToken.user_id == user.id,
                                                   FeedToken.revoked_at.is_(None)))
    if token is None:
        token = FeedToken(user_id=user.id)
        session.add(token)
        session.flush()
    return token


def revoke_feed_token(session: Session, actor: User) -> FeedToken:
    """End the current subscription URL and issue a new one."""
    for token in session.scalars(select(FeedToken).where(FeedToken.user_id == actor.id,
                                                         FeedToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
    session.flush()
    return feed_token(session, actor)


def user_by_feed_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(FeedToken).where(FeedToken.token == token, FeedToken.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row.user


def personal_feed(session: Session, user: User) -> bytes:
    """Every published entry of the user, across events, in their zone."""
    from roadshow.events.services import current_event

    event = current_event(session)
    occurrences = []
    if event is not None:
        seen = set()
        for d in deliveries(session, event):
            if d.user.id == user.id and d.uid not in seen:
                seen.add(d.uid)
                occurrences.append(d.occurrence)
    # a calendar app fetches the feed without a session: name it in the user's own language
    if user.locale.startswith("zh"):
        title = (event.title_zh or event.title_en) if event else "云路演"
        person = user.name_native or user.name
    else:
        title = (event.title_en or event.title_zh) if event else "Roadshow"
        person = user.name
    return invites.feed(occurrences, zone=user.timezone, locale=user.locale, name=f"{title} · {person}")


def public_feed(session: Session, event: Event, locale: str = "en") -> bytes:
    """The published programme of the event, without anyone's address or name, in the event's zone."""
    from dataclasses import replace

    seen: dict[str, invites.Occurrence] = {}
    for d in deliveries(session, event):
        if d.uid not in seen:
            # no addresses and no presenters' names: only titles and times are public
            seen[d.uid] = replace(d.occurrence, attendees=(), organizer=None,
                                  description_en=event.title_en, description_zh=event.title_zh)
    return invites.feed(sorted(seen.values(), key=lambda o: (o.starts_at, o.uid)),
                        zone=event.timezone, locale=locale, name=event.title_en)


def occurrence_for(session: Session, user: User, event: Event, *, slot: Slot | None = None,
                   pitch_session: PitchSession | None = None) -> invites.Occurrence | None:
    """The calendar entry of one slot or session, as a download.

    Participants and organizers get the entry as invited; anyone else gets the public view of
    it (no addresses, no presenter's name).
    """
    from dataclasses import replace

    target_uid = slot_uid(slot, event) if slot is not None else session_uid(pitch_session)  # type: ignore[arg-type]
    organizer = user.role == Role.ORGANIZER
    for d in deliveries(session, event, published_only=not organizer):
        if d.uid == target_uid:
            occ = d.occurrence
            if organizer or any(p.email == user.email for p in occ.attendees):
                return occ
            return replace(occ, attendees=(), organizer=None,
                           description_en=event.title_en, description_zh=event.title_zh)
    return None


def set_rsvp(session: Session, actor: User, uid: str, status: RsvpStatus, comment: str = "") -> Rsvp:
    """Accept or decline an entry the actor was invited to."""
    from roadshow.events.services import current_event

    event = current_event(session)
    mine = {d.uid: d for d in deliveries(session, event)} if event else {}
    mine = {u: d for u, d in mine.items()
            if any(p.email == actor.email for p in d.occurrence.attendees)}
    if uid not in mine:
        raise ScheduleError("not_invited")
    row = session.scalar(select(Rsvp).where(Rsvp.user_id == actor.id, Rsvp.uid == uid))
    if row is None:
        row = Rsvp(user_id=actor.id, uid=uid)
        session.add(row)
    row.status = status
    row.comment = comment.strip()[:500]
    row.slot_id = mine[uid].slot_id
    row.session_id = mine[uid].session_id
    session.flush()
    return row


def rsvps_by_uid(session: Session) -> dict[str, list[Rsvp]]:
    out: dict[str, list[Rsvp]] = defaultdict(list)
    for row in session.scalars(select(Rsvp).options(selectinload(Rsvp.user)).order_by(Rsvp.id)):
        out[row.uid].append(row)
    return out


def my_entries(session: Session, user: User, event: Event) -> list[Delivery]:
    seen: set[str] = set()
    out = []
    for d in deliveries(session, event):
        if d.user.id == user.id and d.uid not in seen:
            seen.add(d.uid)
            out.append(d)
    return sorted(out, key=lambda d: d.occurrence.starts_at)


def my_rsvps(session: Session, user: User) -> dict[str, Rsvp]:
    return {r.uid: r for r in session.scalars(select(Rsvp).where(Rsvp.user_id == user.id))}


# --- figures ---------------------------------------------------------------------------------------

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
    rows = session.execute(select(CalendarInvite.method, func.count()).group_by(CalendarInvite.method)).all()
    return {str(method.value): count for method, count in rows}


def last_job(session: Session, event: Event) -> SendJob | None:
    return session.scalar(select(SendJob).where(SendJob.event_id == event.id).order_by(SendJob.id.desc()))


# a withdrawal frees the finalist's slot in the withdrawal's own transaction (see
# roadshow.applications.signals): the applications domain does not know about schedules
application_withdrawn.connect(_on_application_withdrawn)
# the review asks who is scheduled before a new selection, and tells who is no longer a finalist
finalist_commitments.connect(_pitches_of_finalists)
finalist_demoted.connect(_on_finalist_demoted)
