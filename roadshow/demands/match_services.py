"""Ranked matches for the pages: a demand's people and applications, a person's or an
application's demands, each with its reasons (``roadshow.demands.matching.Reason``).

The candidates are those the office may see (``roadshow.demands.candidates``). Building the
index of an office's candidates reads the whole pool (some 0.25 s for the demo's 3,300 people),
so it is kept per office for ``CACHE_SECONDS`` and rebuilt at once when a cheap fingerprint of
its rows changes (how many people, applications and field links there are, and when the latest
changed): a page shows what changed in the pool at the next request, and a recategorised record
within ``CACHE_SECONDS`` at most. The office's demands are indexed the same way for a person's
or an application's page (10,000 demands took some 0.25 s to read and index on every call).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.applications.models import Application
from roadshow.demands.candidates import (
    application_candidates,
    matching_demands,
    people_candidates,
)
from roadshow.demands.matching import Candidate, Match, MatchIndex
from roadshow.demands.models import ChainNode, Demand, demand_chain_node_industries
from roadshow.events.models import Event
from roadshow.scoping import across
from roadshow.talent.models import Person, person_industries

TOP = 20
CACHE_SECONDS = 60.0
_LOCK = threading.Lock()


def _fingerprint(session: Session, organisation_id: int) -> tuple[object, ...]:
    """What changes when a candidate is added, removed or edited: four aggregate queries."""
    people = session.execute(select(func.count(Person.id), func.max(Person.updated_at))).one()
    links = session.scalar(select(func.count()).select_from(person_industries))
    events = list(session.scalars(select(Event.id).where(
        Event.organisation_id == organisation_id)))
    applications = session.execute(across(select(
        func.count(Application.id), func.max(Application.updated_at)), events)).one() \
        if events else (0, None)
    nodes = session.scalar(select(func.count()).select_from(demand_chain_node_industries))
    return (*people, links, tuple(events), *applications, nodes)


def _demands_fingerprint(session: Session, organisation_id: int) -> tuple[object, ...]:
    """What changes when one of the office's demands is added, edited, published or withdrawn
    (a status change touches ``updated_at``), or its chains' nodes change."""
    demands = session.execute(select(func.count(Demand.id), func.max(Demand.updated_at))
                              .where(Demand.organisation_id == organisation_id)).one()
    nodes = session.scalar(select(func.count(ChainNode.id)).where(
        ChainNode.chain.has(organisation_id=organisation_id)))
    links = session.scalar(select(func.count()).select_from(demand_chain_node_industries))
    return (*demands, nodes, links)


def _store(name: str) -> dict[int, tuple[float, tuple[object, ...], MatchIndex]]:
    if not has_app_context():
        return {}
    return current_app.extensions.setdefault(name, {})


def _kept(name: str, organisation_id: int, fingerprint: tuple[object, ...],
          build: Callable[[], MatchIndex], clock: Callable[[], float]) -> MatchIndex:
    store = _store(name)
    now = clock()
    kept = store.get(organisation_id)
    if kept is not None and kept[1] == fingerprint and now - kept[0] < CACHE_SECONDS:
        return kept[2]
    index = build()
    with _LOCK:
        store[organisation_id] = (now, fingerprint, index)
    return index


def candidate_index(session: Session, organisation_id: int, *,
                    clock: Callable[[], float] = time.monotonic) -> MatchIndex:
    """The office's people and applications in one index, from the cache while it is fresh."""
    return _kept("demands.candidate_index", organisation_id,
                 _fingerprint(session, organisation_id),
                 lambda: MatchIndex(people_candidates(session, organisation_id)
                                    + application_candidates(session, organisation_id)), clock)


def demand_index(session: Session, organisation_id: int, *,
                 clock: Callable[[], float] = time.monotonic) -> MatchIndex:
    """The office's accepted and published demands in one index, kept like the candidates'."""
    return _kept("demands.demand_index", organisation_id,
                 _demands_fingerprint(session, organisation_id),
                 lambda: MatchIndex(matching_demands(session, organisation_id)), clock)


def forget(organisation_id: int | None = None) -> None:
    """Drops the cached indexes of an office (or of all): the next page rebuilds them."""
    with _LOCK:
        for name in ("demands.candidate_index", "demands.demand_index"):
            store = _store(name)
            if organisation_id is None:
                store.clear()
            else:
                store.pop(organisation_id, None)


def _without(matches: list[Match], skip: Iterable[tuple[int, str, int]], k: int) -> list[Match]:
    skipped = set(skip)
    return [m for m in matches
            if (m.demand_key, m.candidate_kind, m.candidate_key) not in skipped][:k]


def for_demand(session: Session, organisation_id: int, demand_id: int,
               k: int = TOP, *, skip: Iterable[tuple[int, str, int]] = ()
               ) -> dict[str, list[Match]]:
    """A demand's best people and best applications (k of each, leaving out the matches of
    ``skip``: (demand, kind, candidate) triples), or nothing if it is not one of the office's
    demands."""
    found = matching_demands(session, organisation_id, [demand_id])
    if not found:
        return {"person": [], "application": []}
    skip = list(skip)
    index = candidate_index(session, organisation_id)
    return {kind: _without(index.candidates_for(found[0], k + len(skip), kinds={kind}), skip, k)
            for kind in ("person", "application")}


def for_person(session: Session, organisation_id: int, person_id: int,
               k: int = TOP, *, skip: Iterable[tuple[int, str, int]] = ()) -> list[Match]:
    """The best demands for a person the office may see (none for anyone else)."""
    return _demands_for(session, organisation_id,
                        people_candidates(session, organisation_id, [person_id]), k, skip)


def for_application(session: Session, organisation_id: int, application_id: int,
                    k: int = TOP, *, skip: Iterable[tuple[int, str, int]] = ()) -> list[Match]:
    """The best demands for a submitted application of the office's events."""
    return _demands_for(session, organisation_id,
                        application_candidates(session, organisation_id, [application_id]), k, skip)


def _demands_for(session: Session, organisation_id: int, found: list[Candidate], k: int,
                 skip: Iterable[tuple[int, str, int]]) -> list[Match]:
    """The office's best demands for the one candidate in ``found`` (none if it is empty: a
    person or an application the office may not see)."""
    if not found:
        return []
    skip = list(skip)
    matches = demand_index(session, organisation_id).demands_for(found[0], k + len(skip))
    return _without(matches, skip, k)
