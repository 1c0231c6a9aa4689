"""Event operations: create and edit events, their phases and custom questions; phase queries."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events import phases
from roadshow.events.models import Event, EventPhase, EventQuestion, PhaseKind, QuestionKind, Track

log = logging.getLogger("roadshow.events")


def current_event(session: Session) -> Event | None:
    """The event the home page and dashboards are about: the newest published one."""
    return session.scalar(
        select(Event).where(Event.published.is_(True)).order_by(Event.created_at.desc(), Event.id.desc())
    )


# --- phase queries ------------------------------------------------------------------------

def windows_of(event: Event) -> list[phases.PhaseWindow]:
    return [phases.PhaseWindow(str(p.kind.value), p.starts_at, p.ends_at) for p in event.phases]


def phase_state(event: Event, now: datetime | None = None) -> phases.PhaseState:
    override = event.phase_override.value if event.phase_override else None
    return phases.phase_state(windows_of(event), now or utcnow(), override)


def call_is_open(event: Event, now: datetime | None = None) -> bool:
    override = event.phase_override.value if event.phase_override else None
    return phases.call_is_open(windows_of(event), now or utcnow(), override,
                               event.call_closed_by_hand)


def call_closes_at(event: Event) -> datetime | None:
    return phases.call_closes_at(windows_of(event))


@dataclass(frozen=True)
class PhaseInfo:
    """What pages show about an event's phase at one moment."""

    state: phases.PhaseState
    call_open: bool
    #: open by the organizers' hand although its close date has passed
    call_open_by_hand: bool
    #: the call has dates ahead of now and was not closed by hand: it opens later
    call_upcoming: bool
    call_opens_at: datetime | None
    call_closes_at: datetime | None
    countdown: bool
    timeline: list[EventPhase]


def phase_info(event: Event, now: datetime | None = None) -> PhaseInfo:
    now = now or utcnow()
    call = event.phase(PhaseKind.CALL)
    is_open = call_is_open(event, now)
    closes = call.ends_at if call else None
    return PhaseInfo(
        state=phase_state(event, now),
        call_open=is_open,
        call_open_by_hand=bool(is_open and closes is not None and closes <= now),
        call_upcoming=bool(call and not is_open and not event.call_closed_by_hand
                           and event.phase_override is None and now < call.starts_at),
        call_opens_at=call.starts_at if call else None,
        call_closes_at=closes,
        countdown=is_open and phases.countdown_due(closes, now),
        timeline=sorted(event.phases, key=lambda p: phases.PHASE_ORDER.index(p.kind.value)),
    )


@dataclass(frozen=True)
class SignupClosed:
    """Why self-registration is not offered: the current event's call is over. ``closed_at``
    is when it closed (None when closed by hand before its date); the next call, when an
    event with a call still to open is published."""

    event: Event
    closed_at: datetime | None
    next_event: Event | None
    next_opens_at: datetime | None


def signup_closed(session: Session, now: datetime | None = None) -> SignupClosed | None:
    """None while applicants may sign up: no event yet, or its call is open or still to open."""
    now = now or utcnow()
    event = current_event(session)
    if event is None:
        return None
    info = phase_info(event, now)
    if info.call_open or info.call_upcoming:
        return None
    closes = info.call_closes_at
    upcoming = session.execute(
        select(Event, EventPhase.starts_at).join(EventPhase, EventPhase.event_id == Event.id)
        .where(Event.published.is_(True), Event.id != event.id,
               EventPhase.kind == PhaseKind.CALL, EventPhase.starts_at > now)
        .order_by(EventPhase.starts_at)).first()
    return SignupClosed(
        event=event, closed_at=closes if closes is not None and closes <= now else None,
        next_event=upcoming[0] if upcoming else None,
        next_opens_at=upcoming[1] if upcoming else None,
    )


# --- organizer writes ---------------------------------------------------------------------

@dataclass
class EventData:
    title_zh: str
    title_en: str
    description_zh: str = ""
    description_en: str = ""
    organizer_name_zh: str = ""
    organizer_name_en: str = ""
    timezone: str = "Asia/Shanghai"
    online: bool = True
    venue_zh: str = ""
    venue_en: str = ""
    published: bool = True
    district_ids: list[int] = field(default_factory=list)
    #: ``(code, name_zh, name_en)`` in order
    tracks: list[tuple[str, str, str]] = field(default_factory=list)
    #: phase kind -> (starts_at, ends_at) as aware UTC instants; a missing kind has no phase
    phases: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "event"


def _unique_slug(session: Session, base: str, event_id: int | None) -> str:
    slug, n = base, 1
    while True:
        taken = session.scalar(select(Event.id).where(Event.slug == slug))
        if taken is None or taken == event_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


def save_event(session: Session, actor: User, data: EventData, event: Event | None = None) -> Event:
    """Create (``event`` None) or update an event with its tracks, districts and phases."""
    creating = event is None
    if event is None:
        event = Event(slug=_unique_slug(session, slugify(data.title_en or data.title_zh), None),
                      title_zh=data.title_zh, title_en=data.title_en)
        session.add(event)
    for name in ("title_zh", "title_en", "description_zh", "description_en", "organizer_name_zh",
                 "organizer_name_en", "timezone", "online", "venue_zh", "venue_en", "published"):
        setattr(event, name, getattr(data, name))
    event.districts = list(session.scalars(
        select(District).where(District.id.in_(data.district_ids)).order_by(District.id)
    )) if data.district_ids else []

    existing = {t.code: t for t in event.tracks}
    kept = []
    for position, (code, name_zh, name_en) in enumerate(data.tracks):
        track = existing.get(code) or Track(code=code)
        track.name_zh, track.name_en, track.position = name_zh, name_en, position
        kept.append(track)
    event.tracks = kept

    by_kind = {p.kind.value: p for p in event.phases}
    new_phases = []
    for kind in phases.PHASE_ORDER:
        if kind not in data.phases:
            continue
        starts_at, ends_at = data.phases[kind]
        phase = by_kind.get(kind) or EventPhase(kind=PhaseKind(kind), starts_at=starts_at, ends_at=ends_at)
        phase.starts_at, phase.ends_at = starts_at, ends_at
        new_phases.append(phase)
    event.phases = new_phases
    session.flush()
    log.info("%s event %s by user %s", "created" if creating else "updated", event.slug, actor.id)
    return event


def set_phase_control(session: Session, actor: User, event: Event, override: str | None,
                      call_closed_by_hand: bool) -> None:
    """The organizer's hand: force a phase (None follows the dates) and close the call."""
    event.phase_override = PhaseKind(override) if override else None
    event.call_closed_by_hand = call_closed_by_hand
    session.flush()
    log.info("phase of event %s set by user %s: override=%s closed_by_hand=%s",
             event.slug, actor.id, override, call_closed_by_hand)


def add_question(session: Session, actor: User, event: Event, *, kind: str, prompt_zh: str,
                 prompt_en: str, choices_zh: str = "", choices_en: str = "",
                 required: bool = False) -> EventQuestion:
    position = (max((q.position for q in event.questions), default=-1)) + 1
    question = EventQuestion(kind=QuestionKind(kind), prompt_zh=prompt_zh, prompt_en=prompt_en,
                             choices_zh=choices_zh, choices_en=choices_en, required=required,
                             position=position)
    event.questions.append(question)
    session.flush()
    log.info("question %s added to event %s by user %s", question.id, event.slug, actor.id)
    return question


def delete_question(session: Session, actor: User, question: EventQuestion) -> None:
    log.info("question %s removed from event %s by user %s", question.id, question.event_id, actor.id)
    session.delete(question)
    session.flush()


def events_for_organizer(session: Session) -> Sequence[Event]:
    return session.scalars(select(Event).order_by(Event.created_at.desc(), Event.id.desc())).all()


#: who counts each event's applications: functions of the session giving ``{event id: count}``.
#: roadshow.applications adds its own when it loads: the stages build on events, so events never
#: import them.
APPLICATION_COUNTERS: list[Callable[[Session], Mapping[int, int]]] = []


def application_counts(session: Session) -> dict[int, int]:
    counts: dict[int, int] = {}
    for counter in APPLICATION_COUNTERS:
        for event_id, count in counter(session).items():
            counts[event_id] = counts.get(event_id, 0) + count
    return counts
