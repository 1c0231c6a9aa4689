"""The pool's people as matching candidates (``roadshow.demands.matching.Candidate``).

Only the people an office may see: its own active records (``people.in_pool``: never a withdrawn
or erased person) and the active records its alliances share with it (``shares.shared_with``).
Each person's fields of the bilingual taxonomy become field codes and their chains chain codes
(a field's parent, or the chain itself where a record names a chain); the text matched by
keyword is the person's field, position and title. Two queries in all, whatever the pool's size.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from roadshow.demands.matching import Candidate
from roadshow.talent.models import Industry, Person, person_industries
from roadshow.talent.services.people import in_pool
from roadshow.talent.services.shares import shared_with

#: the pool's degrees in the matching's terms (``other`` says nothing about the level)
DEGREES = {"bachelor": "bachelor", "master": "master", "doctorate": "doctorate"}


def visible(session: Session, organisation_id: int):  # noqa: ANN201 (a SQL condition)
    """The condition for the people ``organisation_id`` may match: its own and shared ones."""
    return or_(in_pool(organisation_id), shared_with(session, organisation_id))


def people_candidates(session: Session, organisation_id: int,
                      person_ids: list[int] | None = None) -> list[Candidate]:
    """The office's visible people (or those of ``person_ids`` among them) as candidates."""
    condition = visible(session, organisation_id)
    query = select(Person.id, Person.degree, Person.field, Person.position, Person.title).where(
        condition)
    if person_ids is not None:
        query = query.where(Person.id.in_(person_ids))
    rows = session.execute(query.order_by(Person.id)).all()
    if not rows:
        return []
    parent = aliased(Industry)
    codes = select(person_industries.c.person_id, Industry.code, parent.code).join(
        Industry, Industry.id == person_industries.c.industry_id).outerjoin(
        parent, parent.id == Industry.parent_id).join(
        Person, Person.id == person_industries.c.person_id).where(condition)
    if person_ids is not None:
        codes = codes.where(Person.id.in_(person_ids))
    fields: dict[int, set[str]] = defaultdict(set)
    chains: dict[int, set[str]] = defaultdict(set)
    for person_id, code, parent_code in session.execute(codes):
        if parent_code is None:
            chains[person_id].add(code)
        else:
            fields[person_id].add(code)
            chains[person_id].add(parent_code)
    return [
        Candidate(key=person_id, kind="person", fields=frozenset(fields.get(person_id, ())),
                  chains=frozenset(chains.get(person_id, ())),
                  degree=DEGREES.get(str(degree)) if degree is not None else None,
                  text=" ".join(part for part in (field, position, title) if part))
        for person_id, degree, field, position, title in rows
    ]
