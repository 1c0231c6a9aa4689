"""Benchmark: the office's outcomes board with many projects (issue 15).

Builds one office with 12 districts and 20 events (``--quick``: 5) of 120 applications each, 100
of them sealed intents per event, so 2,000 projects (``--quick``: 500), each with the five
default milestones (10,000 milestones): a quarter landed, the rest part done, some late, with
amounts and people on site; 60 tasks. Rows are inserted in bulk with SQLAlchemy Core. Then,
through the Flask test client as the office's organizer, 3 warm-ups and 20 timed requests of
the board page, the board filtered to one year, the Excel workbook and a unit's projects page,
and the board's figures alone (the service, no page). Prints the median, p95 and the SQL
statements per request (a count that grows with the data is an N+1). Target: the board under
500 ms.

``--database-url postgresql+psycopg://user@host/db`` runs on PostgreSQL (a scratch database
beside the one named, dropped after); by default a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._database import bench_app  # noqa: E402
from bench._report import emit, percentile, print_table  # noqa: E402

PASSWORD = "Bench-outcomes-1"  # noqa: S105 - the benchmark's own accounts
DISTRICTS = 12
APPLICATIONS, INTENTS = 120, 100
WARMUPS, RUNS = 3, 20
BOARD_MS, WORKBOOK_MS, LIST_MS = 500.0, 2000.0, 500.0


def build(session: Any, events_count: int) -> dict[str, Any]:
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.districts.models import District
    from roadshow.events.models import Event, EventPhase, PhaseKind, Track
    from roadshow.organisations.models import (
        EventRole,
        EventRoleKind,
        Organisation,
        OrganisationKind,
        OrganisationMember,
        OrganisationRole,
    )
    from roadshow.outcomes.models import Milestone, MilestoneState, Project, Task, TaskStatus
    from roadshow.outcomes.rules import DEFAULT_MILESTONES
    from roadshow.signing.flow import IntentState, Ordering
    from roadshow.signing.models import Intent

    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()

    def ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
        return list(session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                                    rows)) if rows else []

    office = ids(Organisation, [dict(slug="bench-office", kind=OrganisationKind.CITY_OFFICE,
                                     name_zh="人才办", name_en="Talent office")])[0]
    password_hash = generate_password_hash(PASSWORD)
    organizer, recruiter = ids(User, [
        dict(email=f"{role.value}@bench.example.org", role=role, name=role.value.title(),
             password_hash=password_hash, email_verified_at=now, locale="en",
             timezone="Asia/Shanghai") for role in (Role.ORGANIZER, Role.RECRUITER)])
    session.execute(insert(OrganisationMember), [dict(
        organisation_id=office, user_id=organizer, role=OrganisationRole.ORGANIZER)])
    districts = ids(District, [dict(organisation_id=office, code=f"d{d}", name_zh=f"板块{d}",
                                    name_en=f"District {d}") for d in range(DISTRICTS)])
    applicants = ids(User, [dict(email=f"applicant{k}@bench.example.org", role=Role.APPLICANT,
                                 name=f"Applicant {k}", password_hash=password_hash, locale="en",
                                 timezone="Asia/Shanghai") for k in range(APPLICATIONS)])
    events = ids(Event, [dict(slug=f"event-{e}", organisation_id=office, title_zh=f"路演{e}",
                              title_en=f"Roadshow {e}", timezone="Asia/Shanghai", published=True,
                              created_at=now - timedelta(days=100 * e)) for e in range(events_count)])
    session.execute(insert(EventPhase), [
        dict(event_id=event, kind=PhaseKind.ROADSHOW, starts_at=now - timedelta(days=100 * e + 400),
             ends_at=now - timedelta(days=100 * e + 398)) for e, event in enumerate(events)])
    session.execute(insert(EventRole), [dict(event_id=event, user_id=recruiter,
                                             role=EventRoleKind.RECRUITER, district_id=districts[0])
                                        for event in events])
    projects = milestones = 0
    for e, event in enumerate(events):
        tracks = ids(Track, [dict(event_id=event, code=f"t{t}", name_zh=f"产业链{t}",
                                  name_en=f"Chain {t}", position=t) for t in range(4)])
        apps = ids(Application, [dict(
            event_id=event, applicant_id=applicants[k], track_id=tracks[k % 4],
            status=ApplicationStatus.FINALIST if k < INTENTS else ApplicationStatus.SUBMITTED,
            title_en=f"Project {e}-{k}", title_zh=f"项目{e}-{k}", submitted_at=now)
            for k in range(APPLICATIONS)])
        intents = ids(Intent, [dict(
            application_id=a, district_id=districts[k % DISTRICTS], state=IntentState.COMPLETED,
            ordering=Ordering.SEQUENTIAL, reference=f"RS-B-{e:02d}-{k:04d}", completed_at=now,
            sealed_at=now) for k, a in enumerate(apps[:INTENTS])])
        project_ids = ids(Project, [dict(
            event_id=event, intent_id=intent, district_id=districts[k % DISTRICTS], opened_at=now,
            landed_at=now if k % 4 == 0 else None) for k, intent in enumerate(intents)])
        projects += len(project_ids)
        rows = []
        for k, project in enumerate(project_ids):
            done = 5 if k % 4 == 0 else k % 5
            for n, default in enumerate(DEFAULT_MILESTONES):
                confirmed = n < done
                rows.append(dict(
                    event_id=event, project_id=project, code=default.code, name_zh=default.name_zh,
                    name_en=default.name_en, position=n + 1,
                    responsible_district_id=districts[k % DISTRICTS],
                    due_on=today + timedelta(days=(n * 60) - (k % 7) * 30),
                    state=MilestoneState.CONFIRMED if confirmed else MilestoneState.OPEN,
                    amount_cny=1_000_000 * (k % 9 + 1) if confirmed and n == 2 else None,
                    people_on_site=3 + k % 8 if confirmed and n == 3 else None,
                    confirmed_at=now if confirmed else None, confirmed_by_id=organizer if confirmed
                    else None))
        session.execute(insert(Milestone), rows)
        milestones += len(rows)
    session.execute(insert(Task), [dict(
        organisation_id=office, event_id=events[t % len(events)], year=today.year,
        title=f"Task {t}", lead_district_id=districts[t % DISTRICTS],
        due_on=today + timedelta(days=t - 30), status=list(TaskStatus)[t % 3],
        created_at=now, updated_at=now) for t in range(60)])
    session.commit()
    return {"events": len(events), "projects": projects, "milestones": milestones,
            "year": today.year, "district": districts[0]}


def measure(app: Any, engine: Any, world: dict[str, Any]) -> list[dict[str, Any]]:
    from sqlalchemy import event as sa_event

    statements = {"n": 0}

    def count(*_args: Any) -> None:
        statements["n"] += 1

    client = app.test_client()
    response = client.post("/login", data={"email": "organizer@bench.example.org",
                                           "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    unit = app.test_client()
    assert unit.post("/login", data={"email": "recruiter@bench.example.org",
                                     "password": PASSWORD}).status_code == 302
    base = "/o/bench-office/outcomes"
    pages = [("board", client, f"{base}/", BOARD_MS),
             ("board of one year", client, f"{base}/?year={world['year']}", BOARD_MS),
             ("board workbook", client, f"{base}/board.xlsx", WORKBOOK_MS),
             ("unit's projects", unit, f"{base}/projects", LIST_MS)]
    results = []
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        for name, who, path, target in pages:
            status = None
            for _ in range(WARMUPS):
                status = who.get(path).status_code
            samples, per_request = [], 0
            for _ in range(RUNS):
                statements["n"] = 0
                started = time.perf_counter()
                status = who.get(path).status_code
                samples.append(time.perf_counter() - started)
                per_request = statements["n"]
            results.append({"page": name, "path": path, "status": status,
                            "median_ms": round(statistics.median(samples) * 1000, 1),
                            "p95_ms": round(percentile(samples, 95) * 1000, 1),
                            "target_ms": target, "statements": per_request})
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    return results


def service_ms(app: Any) -> float:
    """The board's figures alone (no page), median of the runs."""
    from sqlalchemy import select

    from roadshow.extensions import db
    from roadshow.organisations.models import Organisation
    from roadshow.outcomes import board

    with app.test_request_context():
        office = db.session.scalar(select(Organisation).where(Organisation.slug == "bench-office"))
        samples = []
        for _ in range(WARMUPS + RUNS):
            started = time.perf_counter()
            board.build(db.session, office)
            samples.append(time.perf_counter() - started)
        return round(statistics.median(samples[WARMUPS:]) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 projects instead of 2,000")
    parser.add_argument("--database-url", default=os.environ.get("ROADSHOW_BENCH_DATABASE_URL"),
                        help="a PostgreSQL URL (a scratch database is made beside it); "
                             "default: a fresh SQLite file")
    args = parser.parse_args()
    events_count = 5 if args.quick else 20

    from roadshow.extensions import db

    with bench_app(args.database_url) as (app, backend):
        with app.app_context():
            started = time.perf_counter()
            world = build(db.session, events_count)
            built_s = time.perf_counter() - started
            db.session.remove()
            engine = db.engine
        rows = measure(app, engine, world)
        figures_ms = service_ms(app)

    print(f"{backend}: {world['events']} events, {world['projects']} projects, "
          f"{world['milestones']} milestones (built in {built_s:.1f} s); {WARMUPS} warm-ups, "
          f"then {RUNS} requests per page")
    print_table("Pages (ms; SQL statements per request)", [
        {"page": r["page"], "path": r["path"], "status": r["status"], "median": r["median_ms"],
         "p95": r["p95_ms"], "target": f"< {r['target_ms']:.0f}", "statements": r["statements"]}
        for r in rows])
    print(f"\nThe board's figures alone (service): median {figures_ms} ms")
    figures: dict[str, Any] = {"backend": backend, "events": world["events"],
                               "projects": world["projects"], "milestones": world["milestones"],
                               "board_service_median_ms": figures_ms}
    targets: dict[str, Any] = {}
    for r in rows:
        key = r["page"].replace(" ", "_").replace("'", "")
        figures[f"{key}_median_ms"] = r["median_ms"]
        figures[f"{key}_p95_ms"] = r["p95_ms"]
        figures[f"{key}_statements"] = r["statements"]
        if r["status"] != 200:
            figures[f"{key}_status"] = r["status"]
        targets[f"{key}_p95_ms"] = {"max": r["target_ms"]}
    emit("outcomes_board", figures, targets)


if __name__ == "__main__":
    main()
