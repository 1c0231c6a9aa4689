"""Benchmark: the pages of many events and many offices (issue 13, design §6).

Builds 5 offices × 10 events × 200 applications (``--quick``: 5 offices × 2 events), inserted in
bulk with SQLAlchemy Core: reviews for the events past their review, two sessions of 16 pitch
slots for half the events (those at or past their roadshow), 5 sealed intents for the finished
ones; an organizer per office, a judge and a recruiter in 10 events each, an applicant with 5
applications, and an alliance of two offices sharing their finished events' reports. Then,
through the Flask test client, 3 warm-ups and 30 timed requests of each page: every role's
dashboard, the office home and events list, an event's applications list, the applicant's
applications, the office and alliance reports and the office workbook. For each it prints the
median, the p95 and the SQL statements the request ran (an N+1 shows as a count that grows with
the data). Targets: dashboards and lists under 50 ms, reports under 500 ms, the workbook under
2 s.

``--database-url postgresql+psycopg://user@host/db`` runs on PostgreSQL: the benchmark creates a
scratch database beside the one named and drops it after; by default it uses a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._database import bench_app  # noqa: E402
from bench._report import emit, percentile, print_table  # noqa: E402

PASSWORD = "Bench-many-events-1"  # noqa: S105 - the benchmark's own accounts
OFFICES = 5
APPLICATIONS = 200
APPLICANT_POOL = 1200
JUDGES_PER_OFFICE = 6
DISTRICTS_PER_OFFICE = 5
WARMUPS, RUNS = 3, 30
#: the state of an event by its position in its office: half are at or past their roadshow
STATES = ("finished", "roadshow", "review", "call")
LIST_MS, REPORT_MS, WORKBOOK_MS = 50.0, 500.0, 2000.0


def _phases(state: str, now: datetime) -> list[tuple[str, datetime, datetime]]:
    """(kind, start, end) of an event in ``state`` at ``now``."""
    day = timedelta(days=1)
    start = {"finished": now - 200 * day, "roadshow": now - 62 * day, "review": now - 50 * day,
             "call": now - 10 * day}[state]
    return [("call", start, start + 45 * day), ("review", start + 45 * day, start + 60 * day),
            ("roadshow", start + 60 * day, start + 63 * day),
            ("signing", start + 63 * day, start + 93 * day)]


def build(session: Any, events_per_office: int) -> dict[str, Any]:
    """Insert the world; returns what the requests need (slugs, emails)."""
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import (
        ApplicantProfile,
        Application,
        ApplicationStatus,
        application_districts,
    )
    from roadshow.districts.models import District
    from roadshow.events.models import Event, EventPhase, PhaseKind, Track, event_districts
    from roadshow.organisations.models import (
        Alliance,
        AllianceMember,
        AllianceShare,
        EventRole,
        EventRoleKind,
        Organisation,
        OrganisationKind,
        OrganisationMember,
        OrganisationRole,
        ShareKind,
    )
    from roadshow.review.models import (
        PRELIMINARY,
        Criterion,
        Review,
        ReviewStatus,
        Score,
        SelectionDecision,
    )
    from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind
    from roadshow.signing.flow import IntentState, SignerRole, SignerState
    from roadshow.signing.models import Intent, Signer

    now = datetime.now(UTC).replace(microsecond=0)
    password_hash = generate_password_hash(PASSWORD)

    def ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        return list(session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))

    def users(rows: list[dict[str, Any]]) -> list[int]:
        return ids(User, [dict(password_hash=password_hash, email_verified_at=now, locale="en",
                               timezone="Asia/Shanghai", **row) for row in rows])

    offices = ids(Organisation, [dict(slug=f"office-{o}", kind=OrganisationKind.CITY_OFFICE,
                                      name_zh=f"人才办{o}", name_en=f"Talent office {o}")
                                 for o in range(OFFICES)])
    organizers = users([dict(email=f"organizer{o}@bench.example.org", role=Role.ORGANIZER,
                             name=f"Organizer {o}") for o in range(OFFICES)])
    session.execute(insert(OrganisationMember), [
        dict(organisation_id=office, user_id=user, role=OrganisationRole.ORGANIZER)
        for office, user in zip(offices, organizers, strict=True)])
    districts = {office: ids(District, [
        dict(organisation_id=office, code=f"d{d}", name_zh=f"板块{d}", name_en=f"District {d}")
        for d in range(DISTRICTS_PER_OFFICE)]) for office in offices}
    judges = {office: users([dict(email=f"judge{o}-{j}@bench.example.org", role=Role.JUDGE,
                                  name=f"Judge {o}-{j}") for j in range(JUDGES_PER_OFFICE)])
              for o, office in enumerate(offices)}
    pool = users([dict(email=f"applicant{i:04d}@bench.example.org", role=Role.APPLICANT,
                       name=f"Applicant {i}") for i in range(APPLICANT_POOL)])
    countries = ["US", "CA", "AU", "DE", "GB", "JP", "NL", "SG"]
    session.execute(insert(ApplicantProfile), [
        dict(user_id=user, name_latin=f"Applicant {i}", nationality=countries[i % 8],
             country_of_residence=countries[i % 8], institution="University", position="Professor",
             highest_degree="phd") for i, user in enumerate(pool)])
    judge, recruiter, applicant = users([
        dict(email="judge@bench.example.org", role=Role.JUDGE, name="The judge"),
        dict(email="recruiter@bench.example.org", role=Role.RECRUITER, name="The recruiter"),
        dict(email="applicant@bench.example.org", role=Role.APPLICANT, name="The applicant")])
    session.execute(insert(ApplicantProfile), [dict(
        user_id=applicant, name_latin="The applicant", nationality="US", country_of_residence="US",
        institution="University", position="Professor", highest_degree="phd")])
    alliance = ids(Alliance, [dict(slug="bench-alliance", name_zh="联盟", name_en="Bench alliance")])[0]
    session.execute(insert(AllianceMember), [dict(alliance_id=alliance, organisation_id=office)
                                             for office in offices[:2]])

    events: list[dict[str, Any]] = []
    for o, office in enumerate(offices):
        for e in range(events_per_office):
            events.append(dict(office=office, index=o * events_per_office + e,
                               state=STATES[e % len(STATES)], slug=f"office-{o}-event-{e}"))
    event_ids = ids(Event, [dict(slug=ev["slug"], organisation_id=ev["office"],
                                 title_zh=f"路演{ev['index']}", title_en=f"Roadshow {ev['index']}",
                                 timezone="Asia/Shanghai", published=True,
                                 created_at=now - timedelta(days=ev["index"])) for ev in events])
    for ev, event_id in zip(events, event_ids, strict=True):
        ev["id"] = event_id
    session.execute(insert(EventPhase), [
        dict(event_id=ev["id"], kind=PhaseKind(kind), starts_at=a, ends_at=b)
        for ev in events for kind, a, b in _phases(ev["state"], now)])
    session.execute(insert(event_districts), [
        dict(event_id=ev["id"], district_id=d) for ev in events for d in districts[ev["office"]]])
    tracks = {ev["id"]: ids(Track, [dict(event_id=ev["id"], code=f"t{t}", name_zh=f"赛道{t}",
                                          name_en=f"Track {t}", position=t) for t in range(4)])
              for ev in events}
    # the judge and the recruiter work in 10 events (or every event of a quick run)
    mine = events[:: max(1, len(events) // 10)][:10]
    session.execute(insert(EventRole), [
        *(dict(event_id=ev["id"], user_id=j, role=EventRoleKind.JUDGE)
          for ev in events for j in judges[ev["office"]]),
        *(dict(event_id=ev["id"], user_id=judge, role=EventRoleKind.JUDGE) for ev in mine),
        *(dict(event_id=ev["id"], user_id=recruiter, role=EventRoleKind.RECRUITER,
               district_id=districts[ev["office"]][0]) for ev in mine)])
    session.execute(insert(AllianceShare), [
        dict(alliance_id=alliance, organisation_id=ev["office"], kind=ShareKind.EVENT_REPORT,
             event_id=ev["id"], created_by_id=organizers[offices.index(ev["office"])])
        for ev in events if ev["office"] in offices[:2] and ev["state"] == "finished"])

    applications = 0
    for n, ev in enumerate(events):
        past_review = ev["state"] in ("finished", "roadshow")
        submitted_at = _phases(ev["state"], now)[0][1] + timedelta(days=20)
        applicants = [pool[(n * 37 + k) % len(pool)] for k in range(APPLICATIONS)]
        if n < 5:  # the applicant applied to five events
            applicants[-1] = applicant
        statuses = [(ApplicationStatus.FINALIST if k < 32 else ApplicationStatus.NOT_SELECTED)
                    if past_review else ApplicationStatus.SUBMITTED for k in range(APPLICATIONS)]
        app_ids = ids(Application, [dict(
            event_id=ev["id"], applicant_id=user, status=status, track_id=tracks[ev["id"]][k % 4],
            title_en=f"Project {ev['index']}-{k}", title_zh=f"项目{ev['index']}-{k}",
            summary="A project.", country=countries[k % 8], team_size=5,
            funding_sought_cny=Decimal(1_000_000), submitted_at=submitted_at,
            created_at=submitted_at, updated_at=submitted_at)
            for k, (user, status) in enumerate(zip(applicants, statuses, strict=True))])
        applications += len(app_ids)
        office_districts = districts[ev["office"]]
        session.execute(insert(application_districts), [
            dict(application_id=a, district_id=office_districts[k % len(office_districts)])
            for k, a in enumerate(app_ids)])
        if not past_review:
            continue
        criteria = ids(Criterion, [dict(event_id=ev["id"], code=f"c{c}", name_zh=f"标准{c}",
                                        name_en=f"Criterion {c}", position=c) for c in range(4)])
        panel = judges[ev["office"]]
        reviewed_at = submitted_at + timedelta(days=30)
        review_ids = ids(Review, [dict(
            application_id=a, judge_id=panel[(k + r) % len(panel)], round=PRELIMINARY,
            status=ReviewStatus.SUBMITTED, total=7.0, created_at=reviewed_at,
            updated_at=reviewed_at, submitted_at=reviewed_at)
            for k, a in enumerate(app_ids) for r in range(3)])
        session.execute(insert(Score), [dict(review_id=r, criterion_id=c, value=7.0)
                                        for r in review_ids for c in criteria])
        session.execute(insert(SelectionDecision), [
            dict(event_id=ev["id"], application_id=a, selected=k < 32, rank=k + 1,
                 decided_at=reviewed_at) for k, a in enumerate(app_ids)])
        roadshow_at = _phases(ev["state"], now)[2][1]
        sessions = ids(PitchSession, [dict(
            event_id=ev["id"], title_zh=f"第{s + 1}场", title_en=f"Session {s + 1}",
            starts_at=roadshow_at + timedelta(hours=6 * s),
            ends_at=roadshow_at + timedelta(hours=6 * s + 6), status=SessionStatus.PUBLISHED,
            published_at=reviewed_at) for s in range(2)])
        session.execute(insert(Slot), [dict(
            session_id=sessions[k // 16], kind=SlotKind.PITCH, application_id=a, position=k % 16,
            starts_at=roadshow_at + timedelta(hours=6 * (k // 16), minutes=20 * (k % 16)),
            ends_at=roadshow_at + timedelta(hours=6 * (k // 16), minutes=20 * (k % 16) + 20))
            for k, a in enumerate(app_ids[:32])])
        if ev["state"] != "finished":
            continue
        signed_at = roadshow_at + timedelta(days=10)
        intents = ids(Intent, [dict(
            reference=f"B-{ev['index']}-{k}", application_id=a,
            district_id=office_districts[k % len(office_districts)], state=IntentState.COMPLETED,
            created_at=signed_at, updated_at=signed_at, sent_at=signed_at, completed_at=signed_at,
            sealed_at=signed_at) for k, a in enumerate(app_ids[:5])])
        session.execute(insert(Signer), [dict(
            intent_id=i, position=p + 1, role=role, user_id=user, state=SignerState.SIGNED,
            acted_at=signed_at)
            for i, a_user in zip(intents, applicants[:5], strict=True)
            for p, (role, user) in enumerate([(SignerRole.APPLICANT, a_user),
                                              (SignerRole.DISTRICT, recruiter),
                                              (SignerRole.CITY, organizers[offices.index(ev["office"])])])])
    session.commit()
    return dict(events=events, applications=applications, office=events[0]["office"],
                office_slug="office-0", alliance_slug="bench-alliance",
                list_event=next(ev["slug"] for ev in events if ev["state"] == "roadshow"))


def measure(app: Any, engine: Any, world: dict[str, Any]) -> list[dict[str, Any]]:
    from sqlalchemy import event as sa_event

    statements = {"n": 0}

    def count(*_args: Any) -> None:
        statements["n"] += 1

    sa_event.listen(engine, "after_cursor_execute", count)
    office, alliance, listed = world["office_slug"], world["alliance_slug"], world["list_event"]
    pages = [
        ("dashboard (organizer)", "organizer0@bench.example.org", "/dashboard", LIST_MS),
        ("dashboard (judge)", "judge@bench.example.org", "/dashboard", LIST_MS),
        ("dashboard (recruiter)", "recruiter@bench.example.org", "/dashboard", LIST_MS),
        ("dashboard (applicant)", "applicant@bench.example.org", "/dashboard", LIST_MS),
        ("office home", "organizer0@bench.example.org", f"/o/{office}/", LIST_MS),
        ("office events", "organizer0@bench.example.org", f"/o/{office}/events", LIST_MS),
        ("event applications", "organizer0@bench.example.org", f"/e/{listed}/organizer/applications", LIST_MS),
        ("my applications", "applicant@bench.example.org", "/applications/mine", LIST_MS),
        ("office reports", "organizer0@bench.example.org", f"/o/{office}/reports", REPORT_MS),
        ("alliance reports", "organizer0@bench.example.org", f"/a/{alliance}/reports", REPORT_MS),
        ("office workbook", "organizer0@bench.example.org", f"/o/{office}/reports.xlsx", WORKBOOK_MS),
    ]
    clients: dict[str, Any] = {}
    rows = []
    for name, email, path, target in pages:
        client = clients.get(email)
        if client is None:
            client = clients[email] = app.test_client()
            response = client.post("/login", data={"email": email, "password": PASSWORD})
            if response.status_code != 302:
                raise SystemExit(f"{email} could not sign in ({response.status_code})")
        status = 0
        for _ in range(WARMUPS):
            status = client.get(path).status_code
        samples, counts = [], []
        if status == 200:
            for _ in range(RUNS):
                statements["n"] = 0
                started = time.perf_counter()
                response = client.get(path)
                samples.append(time.perf_counter() - started)
                counts.append(statements["n"])
                status = response.status_code
        rows.append(dict(page=name, path=path, status=status, target_ms=target,
                         median_ms=round(statistics.median(samples) * 1000, 1) if samples else None,
                         p95_ms=round(percentile(samples, 95) * 1000, 1) if samples else None,
                         statements=max(counts) if counts else None))
    sa_event.remove(engine, "after_cursor_execute", count)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 events instead of 50")
    parser.add_argument("--database-url", default=os.environ.get("ROADSHOW_BENCH_DATABASE_URL"),
                        help="a PostgreSQL URL (a scratch database is made beside it); "
                             "default: a fresh SQLite file")
    args = parser.parse_args()
    events_per_office = 2 if args.quick else 10

    from roadshow.extensions import db

    with bench_app(args.database_url) as (app, backend):
        with app.app_context():
            started = time.perf_counter()
            world = build(db.session, events_per_office)
            built_s = time.perf_counter() - started
            db.session.remove()
            engine = db.engine
        # requests outside the app context, as served: each has its own ``g`` (its user)
        rows = measure(app, engine, world)

    events = len(world["events"])
    print(f"{backend}: {OFFICES} offices, {events} events, {world['applications']} applications "
          f"(built in {built_s:.1f} s); {WARMUPS} warm-ups, then {RUNS} requests per page")
    print_table("Pages (ms; SQL statements per request)", [
        {"page": r["page"], "path": r["path"], "status": r["status"],
         "median": r["median_ms"] if r["median_ms"] is not None else "-",
         "p95": r["p95_ms"] if r["p95_ms"] is not None else "-",
         "target": f"< {r['target_ms']:.0f}",
         "statements": r["statements"] if r["statements"] is not None else "-"} for r in rows])
    figures: dict[str, Any] = {"backend": backend, "events": events,
                               "applications": world["applications"]}
    targets: dict[str, Any] = {}
    for r in rows:
        key = r["page"].replace(" ", "_").replace("(", "").replace(")", "")
        figures[f"{key}_p95_ms"] = r["p95_ms"]
        figures[f"{key}_statements"] = r["statements"]
        if r["status"] != 200:
            figures[f"{key}_status"] = r["status"]
        targets[f"{key}_p95_ms"] = {"max": r["target_ms"]}
    emit("many_events", figures, targets)


if __name__ == "__main__":
    main()
