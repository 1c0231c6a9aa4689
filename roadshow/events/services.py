"""Event operations: create and edit events (kind, stage switches, districts of the office or of
a joint event's alliance), their phases and custom questions; archiving; phase queries; the
events of an organisation."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events import phases, states
from roadshow.events.kinds import STAGES, EventKind, default_stages, stage_column
from roadshow.events.models import Event, EventPhase, EventQuestion, PhaseKind, QuestionKind, Track
from roadshow.organisations.models import (
    Alliance,
    AllianceMember,
    AllianceShare,
    Organisation,
    ShareKind,
)
from roadshow.scoping import unscoped

log = logging.getLogger("roadshow.events")


class EventError(Exception):
    """A refused event operation; ``key`` names the reason (the views translate it)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


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


def stages_of(event: Event) -> frozenset[str]:
    """The stages the event runs."""
    return frozenset(stage for stage in STAGES if event.has_stage(stage))


def state_of(event: Event, now: datetime | None = None) -> str:
    """Where the event stands (:data:`roadshow.events.states.STATES`)."""
    return states.event_state(phase_state(event, now), event.published, event.archived_at,
                              stages_of(event))


def main_phase(event: Event) -> EventPhase | None:
    """The phase that dates the event: its roadshow (programme) days, else its call."""
    return event.phase(PhaseKind.ROADSHOW) or event.phase(PhaseKind.CALL) or (
        event.phases[0] if event.phases else None)


@dataclass(frozen=True)
class SignupClosed:
    """Why self-registration is not offered: no published event of any office has a call open
    or still to open. ``event`` is the event whose call closed last, ``closed_at`` when (None
    when closed by hand before its date); ``next_event`` / ``next_opens_at`` are kept for the
    page's wording and are None (a call still to open keeps sign-up open)."""

    event: Event
    closed_at: datetime | None
    next_event: Event | None
    next_opens_at: datetime | None


def _calls_of_every_office(*where: ColumnElement[bool]) -> Select[tuple[Event]]:
    """Published, unarchived events of every office that run a call, with their phases, newest
    first; ``where`` narrows them."""
    return (select(Event).where(Event.published.is_(True), Event.archived_at.is_(None),
                                Event.stage_call.is_(True), *where)
            .options(selectinload(Event.phases))
            .order_by(Event.created_at.desc(), Event.id.desc()))


def calls(session: Session) -> list[Event]:
    """Published, unarchived events of every office that run a call (sign-up is platform-wide,
    so this reads every office's events on every page)."""
    return list(session.scalars(unscoped(
        _calls_of_every_office(), "sign-up is open while any office has a call open or to come")))


def signup_closed(session: Session, now: datetime | None = None) -> SignupClosed | None:
    """None while applicants may sign up: no event with a call yet, or some published event of
    any office has its call open or still to open."""
    now = now or utcnow()
    events = calls(session)
    if not events:
        return None
    last: tuple[datetime, Event] | None = None
    for event in events:
        info = phase_info(event, now)
        if info.call_open or info.call_upcoming:
            return None
        closes = info.call_closes_at
        if closes is not None and (last is None or closes > last[0]):
            last = (closes, event)
    event = last[1] if last else events[0]
    closes = last[0] if last else None
    return SignupClosed(event=event, closed_at=closes if closes is not None and closes <= now else None,
                        next_event=None, next_opens_at=None)


def open_calls(session: Session, now: datetime | None = None,
               events: Sequence[Event] | None = None) -> list[Event]:
    """Published, unarchived events of every office whose call is open now, soonest to close
    first (the home page and "choose a call" list them); ``events`` when already loaded by
    :func:`calls`."""
    now = now or utcnow()
    found = [event for event in (events if events is not None else _open_call_candidates(session, now))
             if call_is_open(event, now)]
    return sorted(found, key=lambda e: (call_closes_at(e) or now, e.id))


def _open_call_candidates(session: Session, now: datetime) -> list[Event]:
    """The events of :func:`calls` whose call may be open at ``now``: reopened by hand, or with
    ``now`` inside the call's dates (phases.call_is_open decides). A platform of many offices
    keeps years of finished calls; the dashboard should not load them all to find the open few."""
    in_call = select(EventPhase.event_id).where(
        EventPhase.kind == PhaseKind.CALL, EventPhase.starts_at <= now, EventPhase.ends_at > now)
    return list(session.scalars(unscoped(
        _calls_of_every_office(Event.call_closed_by_hand.is_(False),
                               or_(Event.phase_override == PhaseKind.CALL,
                                   and_(Event.phase_override.is_(None), Event.id.in_(in_call)))),
        "sign-up is open while any office has a call open")))


def coming_calls(session: Session, now: datetime | None = None,
                 events: Sequence[Event] | None = None) -> list[Event]:
    """Published, unarchived events whose call opens later, soonest first."""
    now = now or utcnow()
    found = [event for event in (events if events is not None else calls(session))
             if phase_info(event, now).call_upcoming]
    return sorted(found, key=lambda e: (phase_info(e, now).call_opens_at or now, e.id))


def find_event(session: Session, slug: str | None) -> Event | None:
    """The published, unarchived event of that slug (a sign-up link names it), else None."""
    if not slug:
        return None
    return session.scalar(select(Event).where(Event.slug == slug, Event.published.is_(True),
                                              Event.archived_at.is_(None)))


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
    kind: str = EventKind.ROADSHOW.value
    #: stage -> on; a stage missing takes the kind's default
    stages: dict[str, bool] = field(default_factory=dict)
    district_ids: list[int] = field(default_factory=list)
    #: ``(code, name_zh, name_en)`` in order
    tracks: list[tuple[str, str, str]] = field(default_factory=list)
    #: phase kind -> (starts_at, ends_at) as aware UTC instants; a missing kind has no phase
    phases: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "event"


def unique_slug(session: Session, base: str, event_id: int | None = None) -> str:
    slug, n = base, 1
    while True:
        taken = session.scalar(select(Event.id).where(Event.slug == slug))
        if taken is None or taken == event_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


_unique_slug = unique_slug


def district_owners(session: Session, organisation_id: int, alliance_id: int | None) -> set[int]:
    """The organisations whose districts an event may take part with: its own, and for a joint
    event every current member of its alliance."""
    owners = {organisation_id}
    if alliance_id is not None:
        owners |= set(session.scalars(select(AllianceMember.organisation_id).where(
            AllianceMember.alliance_id == alliance_id, AllianceMember.left_at.is_(None))))
    return owners


def selectable_districts(session: Session, organisation_id: int, alliance_id: int | None) -> list[District]:
    """The districts an event's form offers, its own office's first."""
    owners = district_owners(session, organisation_id, alliance_id)
    rows = session.scalars(select(District).where(District.organisation_id.in_(owners))
                           .order_by(District.organisation_id != organisation_id, District.id))
    return list(rows)


def is_current_member(session: Session, alliance: Alliance, organisation: Organisation) -> bool:
    return session.scalar(select(exists().where(
        AllianceMember.alliance_id == alliance.id,
        AllianceMember.organisation_id == organisation.id,
        AllianceMember.left_at.is_(None)))) is True


def save_event(session: Session, actor: User, data: EventData, event: Event | None = None, *,
               organisation: Organisation | None = None, alliance: Alliance | None = None) -> Event:
    """Create (``event`` None, for ``organisation``; joint with ``alliance`` when given) or
    update an event with its kind, stage switches, tracks, districts and phases.

    Raises :class:`EventError` ``district_not_in_organisation`` when a district belongs to
    neither the event's office nor (joint event) a current member of its alliance, and
    ``not_in_alliance`` when the office creating a joint event is not a current member."""
    creating = event is None
    if event is None:
        if organisation is None:
            raise ValueError("a new event needs its organisation")
        if alliance is not None and not is_current_member(session, alliance, organisation):
            raise EventError("not_in_alliance")
        event = Event(slug=unique_slug(session, slugify(data.title_en or data.title_zh), None),
                      title_zh=data.title_zh, title_en=data.title_en,
                      organisation_id=organisation.id,
                      alliance_id=alliance.id if alliance is not None else None)
    owners = district_owners(session, event.organisation_id, event.alliance_id)
    chosen = list(session.scalars(
        select(District).where(District.id.in_(data.district_ids)).order_by(District.id)
    )) if data.district_ids else []
    if len(chosen) != len(set(data.district_ids)) or any(d.organisation_id not in owners for d in chosen):
        raise EventError("district_not_in_organisation")
    if creating:
        session.add(event)
    for name in ("title_zh", "title_en", "description_zh", "description_en", "organizer_name_zh",
                 "organizer_name_en", "timezone", "online", "venue_zh", "venue_en", "published"):
        setattr(event, name, getattr(data, name))
    event.kind = EventKind(data.kind)
    defaults = default_stages(data.kind)
    for stage in STAGES:
        setattr(event, stage_column(stage), bool(data.stages.get(stage, defaults[stage])))
    event.districts = chosen

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
    if creating and alliance is not None:
        session.add(AllianceShare(alliance_id=alliance.id, organisation_id=event.organisation_id,
                                  kind=ShareKind.JOINT_EVENT, event_id=event.id, created_by_id=actor.id))
        session.flush()
    log.info("%s event %s (%s) by user %s", "created" if creating else "updated", event.slug,
             event.kind.value, actor.id)
    return event


def archive(session: Session, actor: User, event: Event, now: datetime | None = None) -> None:
    """Archive a finished event: it stays readable, nothing of it changes any more.

    Raises :class:`EventError` ``not_finished`` while its signing phase (or, without signing,
    its last phase) is not over, ``already_archived`` when it is."""
    if event.archived_at is not None:
        raise EventError("already_archived")
    if not states.is_finished(phase_state(event, now), stages_of(event)):
        raise EventError("not_finished")
    event.archived_at = now or utcnow()
    event.archived_by_id = actor.id
    session.flush()
    log.info("event %s archived by user %s", event.slug, actor.id)


def unarchive(session: Session, actor: User, event: Event) -> None:
    """Make an archived event writable again. Raises ``not_archived`` when it is not."""
    if event.archived_at is None:
        raise EventError("not_archived")
    event.archived_at = None
    event.archived_by_id = None
    session.flush()
    log.info("event %s unarchived by user %s", event.slug, actor.id)


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


def events_of_organisation(session: Session, organisation: Organisation) -> Sequence[Event]:
    """The events an office runs: its own, and the joint events of an alliance it is a current
    member of (an unrevoked joint-event share), newest first."""
    joint = and_(
        Event.alliance_id.in_(select(AllianceMember.alliance_id).where(
            AllianceMember.organisation_id == organisation.id, AllianceMember.left_at.is_(None))),
        Event.id.in_(select(AllianceShare.event_id).where(
            AllianceShare.kind == ShareKind.JOINT_EVENT, AllianceShare.revoked_at.is_(None),
            AllianceShare.alliance_id == Event.alliance_id)),
    )
    return session.scalars(select(Event).where(or_(Event.organisation_id == organisation.id, joint))
                           .options(selectinload(Event.phases))  # each row shows its state
                           .order_by(Event.created_at.desc(), Event.id.desc())).all()


#: who counts each event's applications: functions of the session and event ids giving
#: ``{event id: count}`` (scoped to those events). roadshow.applications adds its own when it
#: loads: the stages build on events, so events never import them.
APPLICATION_COUNTERS: list[Callable[[Session, list[int]], Mapping[int, int]]] = []


def application_counts(session: Session, event_ids: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    ids = list(event_ids)
    if not ids:
        return counts
    for counter in APPLICATION_COUNTERS:
        for event_id, count in counter(session, ids).items():
            counts[event_id] = counts.get(event_id, 0) + count
    return counts
