"""A liaison station's events (issue 14): the office's events it holds (its symposium in its
city, its promotion events), linked and unlinked by the organizers, and per event how many of the
station's people were invited (roadshow.talent.services.invitations) and how many registered.

Registration belongs to the applications stage, a later layer: it fills
:data:`REGISTRATION_COUNTERS` when it loads, and the station page counts through it. An event
records who registered (a submitted registration by their account), not who came in the end:
the page says "registered", which is what is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.events.services import events_of_organisation, main_phase
from roadshow.talent.models import Invitation, Person, Station, station_events
from roadshow.talent.services.people import in_pool

#: ``counter(session, event_ids, user_ids)``: per event of ``event_ids``, how many accounts of
#: ``user_ids`` (a SELECT of user ids) registered for it. roadshow.applications adds its own.
REGISTRATION_COUNTERS: list[Callable[[Session, list[int], Select[Any]], Mapping[int, int]]] = []


class StationEventError(ValueError):
    pass


@dataclass(frozen=True)
class StationEvent:
    event: Event
    starts_at: Any
    ends_at: Any
    invited: int
    registered: int


def linkable_events(session: Session, station: Station) -> list[Event]:
    """The office's events (its own and its alliances' joint ones) not linked to the station."""
    linked = set(session.scalars(select(station_events.c.event_id).where(
        station_events.c.station_id == station.id)))
    return [event for event in events_of_organisation(session, station.organisation)
            if event.id not in linked]


def link(session: Session, actor: Any, station: Station, event_id: int) -> Event:
    event = next((e for e in linkable_events(session, station) if e.id == event_id), None)
    if event is None:
        raise StationEventError(_l("Choose one of the office's events not linked yet."))
    session.execute(insert(station_events).values(station_id=station.id, event_id=event.id,
                                                  created_at=utcnow()))
    return event


def unlink(session: Session, actor: Any, station: Station, event_id: int) -> bool:
    """Unlink the event; ``False`` when it was not linked."""
    result = session.execute(delete(station_events).where(
        station_events.c.station_id == station.id, station_events.c.event_id == event_id))
    return bool(result.rowcount)


def event_ids_of(session: Session, station_ids: Sequence[int]) -> list[int]:
    if not station_ids:
        return []
    return list(session.scalars(select(station_events.c.event_id).where(
        station_events.c.station_id.in_(list(station_ids)))
        .order_by(station_events.c.created_at)).unique())


def _station_people(station: Station) -> Select[Any]:
    return select(Person.id).where(Person.station_id == station.id,
                                   in_pool(station.organisation_id))


def invited_counts(session: Session, station: Station, event_ids: list[int]) -> dict[int, int]:
    """Per event, the station's people (active) invited to it."""
    if not event_ids:
        return {}
    rows = session.execute(select(Invitation.event_id, func.count(func.distinct(
        Invitation.person_id))).where(Invitation.event_id.in_(event_ids),
                                      Invitation.person_id.in_(_station_people(station)))
        .group_by(Invitation.event_id))
    return {event_id: count for event_id, count in rows}


def registered_counts(session: Session, station: Station, event_ids: list[int]) -> dict[int, int]:
    """Per event, the station's people (active, with an account) who registered for it."""
    if not event_ids:
        return {}
    users = select(Person.user_id).where(Person.station_id == station.id,
                                         in_pool(station.organisation_id),
                                         Person.user_id.is_not(None))
    counts: dict[int, int] = {}
    for counter in REGISTRATION_COUNTERS:
        for event_id, count in counter(session, event_ids, users).items():
            counts[event_id] = counts.get(event_id, 0) + count
    return counts


def events_of(session: Session, station: Station) -> list[StationEvent]:
    """The station's events, latest first, with their dates and figures."""
    ids = event_ids_of(session, [station.id])
    if not ids:
        return []
    events = session.scalars(select(Event).where(Event.id.in_(ids))
                             .options(selectinload(Event.phases))).all()
    invited = invited_counts(session, station, ids)
    registered = registered_counts(session, station, ids)
    rows = []
    for event in events:
        phase = main_phase(event)
        rows.append(StationEvent(event=event, starts_at=phase.starts_at if phase else None,
                                 ends_at=phase.ends_at if phase else None,
                                 invited=invited.get(event.id, 0),
                                 registered=registered.get(event.id, 0)))
    return sorted(rows, key=lambda row: (row.starts_at is not None, row.starts_at, row.event.id),
                  reverse=True)
