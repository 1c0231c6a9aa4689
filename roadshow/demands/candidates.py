"""The pool's people and the events' applications as matching candidates
(``roadshow.demands.matching.Candidate``).

Only the people an office may see: its own active records (``people.in_pool``: never a withdrawn
or erased person) and the active records its alliances share with it (``shares.shared_with``).
Each person's fields of the bilingual taxonomy become field codes and their chains chain codes
(a field's parent, or the chain itself where a record names a chain); the text matched by
keyword is the person's field, position and title. Two queries in all, whatever the pool's size.

Applications: every submitted one (finalist or not, never a draft or a withdrawn one) of every
event of the office. An application's chain is its track's code where the event named its
tracks by the taxonomy's chain codes, plus the fields and chains of the applicant's own record
in the pool; the districts it chose are the districts' earlier interest; its text is its titles,
summary and the support it seeks; its degree is the applicant profile's highest. Four queries
in all (the office's events first: an office's page reads applications scoped to them).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from roadshow.applications.models import (
    ApplicantProfile,
    Application,
    ApplicationStatus,
    application_districts,
)
from roadshow.demands.matching import Candidate
from roadshow.demands.matching import Demand as MatchDemand
from roadshow.demands.models import (
    ChainNode,
    Demand,
    DemandStatus,
    IndustryChain,
    demand_chain_node_industries,
)
from roadshow.events.models import Event, Track
from roadshow.scoping import across
from roadshow.talent.models import Industry, Person, person_industries
from roadshow.talent.services.people import in_pool
from roadshow.talent.services.shares import shared_with

#: the demands matching offers: reviewed and accepted, or published in the catalogue
MATCHED_DEMANDS = (DemandStatus.ACCEPTED, DemandStatus.PUBLISHED)

#: the pool's degrees (``talent.Degree``) and the applicant profile's (``phd``, ``md``) in the
#: matching's terms (``other`` says nothing about the level)
DEGREES = {"bachelor": "bachelor", "master": "master", "doctorate": "doctorate",
           "phd": "doctorate", "md": "doctorate"}


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
    codes = select(person_industries.c.person_id, Industry.id, Industry.code, parent.code).join(
        Industry, Industry.id == person_industries.c.industry_id).outerjoin(
        parent, parent.id == Industry.parent_id).join(
        Person, Person.id == person_industries.c.person_id).where(condition)
    if person_ids is not None:
        codes = codes.where(Person.id.in_(person_ids))
    fields: dict[int, set[str]] = defaultdict(set)
    chains: dict[int, set[str]] = defaultdict(set)
    nodes: dict[int, set[str]] = defaultdict(set)
    covered = node_keys(session, organisation_id)
    for person_id, industry_id, code, parent_code in session.execute(codes):
        nodes[person_id].update(covered.get(industry_id, ()))
        if parent_code is None:
            chains[person_id].add(code)
        else:
            fields[person_id].add(code)
            chains[person_id].add(parent_code)
    return [
        Candidate(key=person_id, kind="person", fields=frozenset(fields.get(person_id, ())),
                  chains=frozenset(chains.get(person_id, ())),
                  nodes=frozenset(nodes.get(person_id, ())),
                  degree=DEGREES.get(str(degree)) if degree is not None else None,
                  text=" ".join(part for part in (field, position, title) if part))
        for person_id, degree, field, position, title in rows
    ]


#: the applications matching reads: submitted, whatever the review decided
SUBMITTED = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST,
             ApplicationStatus.NOT_SELECTED)


def application_candidates(session: Session, organisation_id: int,
                           application_ids: list[int] | None = None) -> list[Candidate]:
    """The submitted applications of the office's events (or those of ``application_ids``)."""
    condition = (Event.organisation_id == organisation_id) & Application.status.in_(SUBMITTED)
    if application_ids is not None:
        condition = condition & Application.id.in_(application_ids)
    # the office's events: the scope a page of the office reads applications in
    events = session.scalars(select(Event.id).where(Event.organisation_id == organisation_id))
    event_ids = list(events)
    rows = session.execute(across(
        select(Application.id, Application.applicant_id, Track.code, Application.title_en,
               Application.title_zh, Application.summary, Application.support_sought,
               ApplicantProfile.highest_degree)
        .join(Event, Event.id == Application.event_id)
        .outerjoin(Track, Track.id == Application.track_id)
        .outerjoin(ApplicantProfile, ApplicantProfile.user_id == Application.applicant_id)
        .where(condition).order_by(Application.id), event_ids)).all()
    if not rows:
        return []
    districts: dict[int, set[int]] = defaultdict(set)
    for application_id, district_id in session.execute(across(
            select(application_districts.c.application_id, application_districts.c.district_id)
            .join(Application, Application.id == application_districts.c.application_id)
            .join(Event, Event.id == Application.event_id).where(condition), event_ids)):
        districts[application_id].add(district_id)
    parent = aliased(Industry)
    fields: dict[int, set[str]] = defaultdict(set)
    chains: dict[int, set[str]] = defaultdict(set)
    nodes: dict[int, set[str]] = defaultdict(set)
    covered = node_keys(session, organisation_id)
    for user_id, industry_id, code, parent_code in session.execute(
            select(Person.user_id, Industry.id, Industry.code, parent.code)
            .join(person_industries, person_industries.c.person_id == Person.id)
            .join(Industry, Industry.id == person_industries.c.industry_id)
            .outerjoin(parent, parent.id == Industry.parent_id)
            .where(in_pool(organisation_id), Person.user_id.in_({row[1] for row in rows}))):
        nodes[user_id].update(covered.get(industry_id, ()))
        if parent_code is None:
            chains[user_id].add(code)
        else:
            fields[user_id].add(code)
            chains[user_id].add(parent_code)
    return [
        Candidate(key=application_id, kind="application",
                  fields=frozenset(fields.get(applicant_id, ())),
                  chains=frozenset(chains.get(applicant_id, set()) | ({track} if track else set())),
                  nodes=frozenset(nodes.get(applicant_id, ())),
                  interested_districts=frozenset(districts.get(application_id, ())),
                  degree=DEGREES.get(degree or ""),
                  text=" ".join(part for part in (title_en, title_zh, summary, support) if part))
        for (application_id, applicant_id, track, title_en, title_zh, summary, support,
             degree) in rows
    ]


def node_keys(session: Session, organisation_id: int) -> dict[int, set[str]]:
    """The office's chain nodes (as matching keys, their ids) by the taxonomy field they cover."""
    found: dict[int, set[str]] = defaultdict(set)
    for industry_id, node_id in session.execute(
            select(demand_chain_node_industries.c.industry_id, ChainNode.id)
            .join(ChainNode, ChainNode.id == demand_chain_node_industries.c.node_id)
            .join(IndustryChain, IndustryChain.id == ChainNode.chain_id)
            .where(IndustryChain.organisation_id == organisation_id)):
        found[industry_id].add(str(node_id))
    return found


def matching_demands(session: Session, organisation_id: int,
                     demand_ids: list[int] | None = None) -> list[MatchDemand]:
    """The office's accepted and published demands (or those of ``demand_ids``, whatever their
    status) for matching: the field, its chain and the node it sits on, degree, experience,
    district, and its titles, descriptions and keywords in both languages as text."""
    parent = aliased(Industry)
    query = (select(Demand.id, Demand.district_id, Demand.industry_id, Demand.chain_node_id,
                    Demand.degree, Demand.experience_years, Industry.code, parent.code,
                    Demand.title_zh, Demand.title_en, Demand.description_zh,
                    Demand.description_en, Demand.keywords_zh, Demand.keywords_en)
             .outerjoin(Industry, Industry.id == Demand.industry_id)
             .outerjoin(parent, parent.id == Industry.parent_id)
             .where(Demand.organisation_id == organisation_id))
    if demand_ids is not None:
        query = query.where(Demand.id.in_(demand_ids))
    else:
        query = query.where(Demand.status.in_(MATCHED_DEMANDS))
    covered = node_keys(session, organisation_id)
    found = []
    for (key, district_id, industry_id, node_id, degree, years, code, parent_code,
         *texts) in session.execute(query.order_by(Demand.id)):
        fields: set[str] = set()
        chains: set[str] = set()
        if code is not None and parent_code is None:
            chains.add(code)
        elif code is not None:
            fields.add(code)
            chains.add(parent_code)
        nodes = {str(node_id)} if node_id is not None else covered.get(industry_id, set())
        found.append(MatchDemand(
            key=key, fields=frozenset(fields), chains=frozenset(chains), nodes=frozenset(nodes),
            degree=DEGREES.get(str(degree)) if degree is not None else None, min_years=years,
            district_id=district_id, text=" ".join(part for part in texts if part)))
    return found
