"""Ranked matches for the pages: a demand's people and applications, a person's or an
application's demands, each with its reasons (``roadshow.demands.matching.Reason``).

The candidates are those the office may see (``roadshow.demands.candidates``); the index is
built per call from them, so what a page shows is never older than the pool.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from roadshow.demands.candidates import (
    application_candidates,
    matching_demands,
    people_candidates,
)
from roadshow.demands.matching import Match, MatchIndex

TOP = 20


def for_demand(session: Session, organisation_id: int, demand_id: int,
               k: int = TOP) -> dict[str, list[Match]]:
    """A demand's best people and best applications (k of each), or nothing if it is not one
    of the office's demands."""
    found = matching_demands(session, organisation_id, [demand_id])
    if not found:
        return {"person": [], "application": []}
    index = MatchIndex(people_candidates(session, organisation_id)
                       + application_candidates(session, organisation_id))
    return {kind: index.candidates_for(found[0], k, kinds={kind})
            for kind in ("person", "application")}


def for_person(session: Session, organisation_id: int, person_id: int,
               k: int = TOP) -> list[Match]:
    """The best demands for a person the office may see (none for anyone else)."""
    found = people_candidates(session, organisation_id, [person_id])
    if not found:
        return []
    return MatchIndex(matching_demands(session, organisation_id)).demands_for(found[0], k)


def for_application(session: Session, organisation_id: int, application_id: int,
                    k: int = TOP) -> list[Match]:
    """The best demands for a submitted application of the office's events."""
    found = application_candidates(session, organisation_id, [application_id])
    if not found:
        return []
    return MatchIndex(matching_demands(session, organisation_id)).demands_for(found[0], k)
