"""bench/demand_matching.py's database stage: the same sizes inserted in bulk into one office,
then the service and the page that read them (see that benchmark's docstring)."""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench._report import summary_ms

PASSWORD = "Bench-matching-1"  # noqa: S105 - the benchmark's own account
CHAINS, FIELDS, NODES = 15, 8, 6
EVENTS = 10
CHUNK = 5_000


def build(session: Any, people: int, applications: int, demands: int,
          zh_words: list[str], en_words: list[str]) -> dict[str, Any]:
    """The office, its taxonomy and chains, ``people`` pool people, ``applications``
    applications and ``demands`` accepted demands; returns what the timings need."""
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application, ApplicationStatus, application_districts
    from roadshow.demands.models import (
        ChainNode,
        Demand,
        DemandKind,
        DemandRound,
        DemandStatus,
        IndustryChain,
        RoundStatus,
        demand_chain_node_industries,
    )
    from roadshow.districts.models import District
    from roadshow.events.models import Event, Track
    from roadshow.organisations.models import (
        Organisation,
        OrganisationKind,
        OrganisationMember,
        OrganisationRole,
    )
    from roadshow.talent.models import Industry, Person, person_industries

    rng = random.Random(15)
    now = datetime.now(UTC).replace(microsecond=0)

    def ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
        found: list[int] = []
        for start in range(0, len(rows), CHUNK):
            found += session.scalars(insert(model).returning(model.id,
                                                             sort_by_parameter_order=True),
                                     rows[start:start + CHUNK])
        return found

    def text(chinese: bool) -> str:
        return ("，".join(rng.sample(zh_words, 4)) + "方向研发" if chinese
                else " ".join(rng.sample(en_words, 6)))

    office = ids(Organisation, [dict(slug="match-office", kind=OrganisationKind.CITY_OFFICE,
                                     name_zh="人才办", name_en="Talent office")])[0]
    password_hash = generate_password_hash(PASSWORD)
    organizer = ids(User, [dict(email="organizer@bench.example.org", role=Role.ORGANIZER,
                                name="Organizer", password_hash=password_hash,
                                email_verified_at=now, locale="en",
                                timezone="Asia/Shanghai")])[0]
    session.execute(insert(OrganisationMember), [dict(
        organisation_id=office, user_id=organizer, role=OrganisationRole.ORGANIZER)])
    districts = ids(District, [dict(organisation_id=office, code=f"d{d}", name_zh=f"板块{d}",
                                    name_en=f"District {d}") for d in range(12)])
    chains = ids(Industry, [dict(organisation_id=office, code=f"C{c:02d}", name_zh=f"产业链{c}",
                                 name_en=f"Chain {c}") for c in range(CHAINS)])
    fields = [ids(Industry, [dict(organisation_id=office, code=f"C{c:02d}-F{f}",
                                  name_zh=f"领域{c}-{f}", name_en=f"Field {c}-{f}",
                                  parent_id=chain) for f in range(FIELDS)])
              for c, chain in enumerate(chains)]
    map_ids = ids(IndustryChain, [dict(organisation_id=office, code=f"C{c:02d}",
                                       name_zh=f"产业链{c}", name_en=f"Chain {c}",
                                       industry_id=chain, position=c)
                                  for c, chain in enumerate(chains)])
    nodes = [ids(ChainNode, [dict(chain_id=chain, code=f"N{n}", name_zh=f"环节{n}",
                                  name_en=f"Node {n}", position=n) for n in range(NODES)])
             for chain in map_ids]
    # each node covers the fields n and n + 1 of its chain (a field may sit on two nodes)
    session.execute(insert(demand_chain_node_industries), [
        dict(node_id=node, industry_id=fields[c][(n + step) % FIELDS])
        for c in range(CHAINS) for n, node in enumerate(nodes[c]) for step in (0, 1)])

    degrees = ["bachelor", "master", "doctorate", None]
    next_person = 0
    for start in range(0, people, CHUNK):
        rows, links = [], []
        for n in range(start, min(start + CHUNK, people)):
            c = rng.randrange(CHAINS)
            rows.append(dict(
                organisation_id=office, name_zh=f"人才{n}", name_pinyin=f"rencai {n}",
                degree=rng.choice(degrees), field=text(chinese=n % 3 == 0), position="",
                title="", category="high_level", source="import", email=f"p{n}@example.org",
                created_at=now, updated_at=now, confirmed_at=now))
            links.append(fields[c][rng.randrange(FIELDS)])
        person_ids = ids(Person, rows)
        session.execute(insert(person_industries), [
            dict(person_id=person, industry_id=field) for person, field in zip(person_ids, links,
                                                                                strict=True)])
        next_person += len(rows)

    applicants = ids(User, [dict(email=f"applicant{k}@bench.example.org", role=Role.APPLICANT,
                                 name=f"Applicant {k}", password_hash=password_hash, locale="en",
                                 timezone="Asia/Shanghai")
                            for k in range(max(1, applications // EVENTS))])
    events = ids(Event, [dict(slug=f"match-event-{e}", organisation_id=office,
                              title_zh=f"路演{e}", title_en=f"Roadshow {e}",
                              timezone="Asia/Shanghai", published=True,
                              created_at=now - timedelta(days=30 * e)) for e in range(EVENTS)])
    application_ids: list[int] = []
    for e, event in enumerate(events):
        tracks = ids(Track, [dict(event_id=event, code=f"C{c:02d}", name_zh=f"产业链{c}",
                                  name_en=f"Chain {c}", position=c) for c in range(CHAINS)])
        per_event = applications // EVENTS
        application_ids += ids(Application, [dict(
            event_id=event, applicant_id=applicants[k], track_id=rng.choice(tracks),
            status=ApplicationStatus.SUBMITTED, title_en=" ".join(rng.sample(en_words, 3)),
            title_zh="".join(rng.sample(zh_words, 2)) + f"项目{e}-{k}",
            summary=text(chinese=k % 2 == 0), submitted_at=now)
            for k in range(per_event)])
    session.execute(insert(application_districts), [
        dict(application_id=a, district_id=districts[a % 12])
        for a in application_ids[::7]])

    round_ = ids(DemandRound, [dict(organisation_id=office, title_zh="需求征集",
                                    title_en="Demands", opens_on=now.date(),
                                    closes_on=now.date(), status=RoundStatus.REVIEWING)])[0]
    demand_ids = ids(Demand, [dict(
        round_id=round_, organisation_id=office, district_id=rng.choice(districts),
        kind=DemandKind.POSITION, title_zh=f"需求{k}", title_en=f"Demand {k}",
        description_zh=text(chinese=True) if k % 4 else "",
        description_en=text(chinese=False) if k % 4 == 0 else "",
        industry_id=fields[c][rng.randrange(FIELDS)], degree=rng.choice(degrees[1:]),
        experience_years=rng.randrange(10), status=DemandStatus.ACCEPTED, created_at=now,
        updated_at=now) for k, c in ((k, rng.randrange(CHAINS)) for k in range(demands))])
    session.commit()
    return {"office": office, "slug": "match-office", "demands": demand_ids,
            "people": next_person, "applications": len(application_ids)}


def measure(app: Any, world: dict[str, Any], queries: int) -> tuple[list[dict[str, Any]], float]:
    """The rows of the database stage's table (ms) and the cold index build (s)."""
    from sqlalchemy import select

    from roadshow.demands import match_services
    from roadshow.extensions import db
    from roadshow.talent.models import Person

    rng = random.Random(8)
    chosen = rng.sample(world["demands"], min(queries, len(world["demands"])))
    office = world["office"]
    with app.test_request_context():
        builds = []
        for _ in range(2):
            match_services.forget(office)
            started = time.perf_counter()
            match_services.candidate_index(db.session, office)
            builds.append(time.perf_counter() - started)
        forward = []
        for demand_id in chosen:
            started = time.perf_counter()
            found = match_services.for_demand(db.session, office, demand_id)
            forward.append(time.perf_counter() - started)
            assert len(found["person"]) == 20, "a demand found fewer than 20 people"
        people = list(db.session.scalars(select(Person.id).where(
            Person.organisation_id == office).order_by(Person.id).limit(queries // 5 or 1)))
        backward = []
        for person_id in people:
            started = time.perf_counter()
            match_services.for_person(db.session, office, person_id)
            backward.append(time.perf_counter() - started)
        db.session.remove()

    client = app.test_client()
    response = client.post("/login", data={"email": "organizer@bench.example.org",
                                           "password": PASSWORD})
    assert response.status_code == 302, "the organizer could not sign in"
    pages = []
    for demand_id in chosen[: max(queries // 5, 3)]:
        started = time.perf_counter()
        response = client.get(f"/o/{world['slug']}/demands/{demand_id}/matches")
        pages.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    rows = [
        {"query": "demand -> top 20 (service, index kept)", **summary_ms(forward)},
        {"query": "demand's matches page (index kept)", **summary_ms(pages)},
        {"query": "person -> top 20 demands (service)", **summary_ms(backward)},
    ]
    return rows, round(statistics.median(builds), 2)
