"""Benchmark: an office's talent pool of 100,000 people (issue 14, "Done when").

Inserts 100,000 people in bulk (``--quick``: 20,000) into one office, a third of them in an
industry, and builds the search index (SQLite FTS5 trigram, PostgreSQL pg_trgm). Then, through
the Flask test client as the office's organizer, 3 warm-ups and 30 timed requests of the people
list: unfiltered, searched in Chinese characters (two and four), pinyin with and without
spaces, English, and filtered by category and country, native province and degree, stale
records; then, as the organizer of a partner office in an alliance with it, the high-level
talents it shares (list, English and Chinese search). Target: median under 100 ms. Then an import of a 10,000-row CSV (a tenth of it people
already in the pool by e-mail, some by a close name with native place and year, some rows with
errors): reading, duplicate detection and the batched run, with the job's progress steps
counted. Target: under 30 s in all.

``--database-url postgresql+psycopg://user@host/db`` runs on PostgreSQL: the benchmark creates a
scratch database beside the one named and drops it after; by default it uses a fresh SQLite file.
The last line printed is JSON (bench/_report.py).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._database import bench_app  # noqa: E402
from bench._report import emit, percentile, print_table  # noqa: E402

PASSWORD = "Bench-talent-pool-1"  # noqa: S105 - the benchmark's own account
PEOPLE = 100_000
IMPORT_ROWS = 10_000
WARMUPS, RUNS = 3, 30
LIST_MS = 100.0
IMPORT_S = 30.0
CHUNK = 5_000

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文斌宇浩凯晨欣怡子涵梓萱雨"
EMPLOYERS = ["Siemens AG", "MIT", "清华大学", "Stanford University", "华为技术有限公司",
             "Max Planck Institute", "Tesla", "中国科学院", "University of Tokyo", "BASF",
             "Google", "复旦大学", "ETH Zürich", "Samsung", "NUS", "Imperial College London"]
FIELDS = ["人工智能", "Battery chemistry", "Quantum computing", "生物医药", "Oncology",
          "Semiconductors", "新材料", "Robotics", "Finance", "Civil engineering"]
CITIES = [("US", "Boston"), ("US", "San Francisco"), ("DE", "Munich"), ("GB", "London"),
          ("JP", "Tokyo"), ("SG", "Singapore"), ("CN", "上海"), ("CN", "深圳"), ("CN", "北京"),
          ("CA", "Toronto"), ("AU", "Sydney"), ("FR", "Paris")]
CATEGORIES = ["official", "high_level", "business", "student", "returnee"]
DEGREES = ["bachelor", "master", "doctorate", "other", None]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))


def build(session: Any, people: int) -> dict[str, Any]:
    """Insert the office, its organizer and ``people`` people; returns what the requests need."""
    from sqlalchemy import insert, text
    from werkzeug.security import generate_password_hash

    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.organisations.models import (
        Alliance,
        AllianceMember,
        Organisation,
        OrganisationKind,
        OrganisationMember,
        OrganisationRole,
    )
    from roadshow.talent import divisions, names
    from roadshow.talent.models import Industry, Person, person_industries
    from roadshow.talent.services import shares

    rng = random.Random(14)
    now = datetime.now(UTC).replace(microsecond=0)
    office = session.scalar(insert(Organisation).returning(Organisation.id), [dict(
        slug="pool-office", kind=OrganisationKind.CITY_OFFICE, name_zh="人才办",
        name_en="Talent office")])
    organizer = session.scalar(insert(User).returning(User.id), [dict(
        email="organizer@bench.example.org", role=Role.ORGANIZER, name="Organizer",
        password_hash=generate_password_hash(PASSWORD), email_verified_at=now, locale="en",
        timezone="Asia/Shanghai")])
    session.execute(insert(OrganisationMember), [dict(
        organisation_id=office, user_id=organizer, role=OrganisationRole.ORGANIZER)])
    industries = list(session.scalars(insert(Industry).returning(Industry.id), [dict(
        organisation_id=office, code=f"i{n}", name_zh=f"产业链{n}", name_en=f"Chain {n}")
        for n in range(10)]))
    counties = [d.code for province in divisions.provinces()[:3]
                for city in divisions.children(province.code)
                for d in divisions.children(city.code) if divisions.is_native_place(d.code)]
    pinyin: dict[str, str] = {}
    next_id = 1
    for start in range(0, people, CHUNK):
        rows = []
        for n in range(start, min(start + CHUNK, people)):
            name = _name(rng)
            if name not in pinyin:
                pinyin[name] = names.pinyin(name)
            country, city = rng.choice(CITIES)
            created = now - timedelta(days=rng.randint(0, 730))
            rows.append(dict(
                id=next_id + n - start, organisation_id=office, name_zh=name,
                name_en=(" ".join(reversed(pinyin[name].split(" ", 1))).title()
                         if n % 3 == 0 else None),
                name_pinyin=pinyin[name], birth_year=rng.randint(1960, 2003),
                native_code=rng.choice(counties), residence_country=country, residence_city=city,
                employer=rng.choice(EMPLOYERS), position="", title="", school=rng.choice(EMPLOYERS),
                field=rng.choice(FIELDS), degree=rng.choice(DEGREES),
                category=rng.choice(CATEGORIES), source="import", email=f"p{n}@example.org",
                phone=f"139{n:08d}", languages="", notes="",
                confirmed_at=created + timedelta(days=rng.randint(0, 300)), created_at=created,
                updated_at=created, withdrawn_at=now if n % 97 == 0 else None))
        session.execute(insert(Person), rows)
        session.execute(insert(person_industries), [
            dict(person_id=row["id"], industry_id=rng.choice(industries))
            for row in rows if row["id"] % 3 == 0])
        next_id += len(rows)
    if session.get_bind().dialect.name == "postgresql":  # the ids were given: move the sequence on
        session.execute(text("SELECT setval(pg_get_serial_sequence('talent_people', 'id'), "
                             "(SELECT max(id) FROM talent_people))"))
    # a partner office in an alliance with the pool's office, which shares its high-level
    # talents (a fifth of the pool) with it
    partner = session.scalar(insert(Organisation).returning(Organisation.id), [dict(
        slug="partner-office", kind=OrganisationKind.CITY_OFFICE, name_zh="友邻人才办",
        name_en="Partner office")])
    partner_organizer = session.scalar(insert(User).returning(User.id), [dict(
        email="partner@bench.example.org", role=Role.ORGANIZER, name="Partner",
        password_hash=generate_password_hash(PASSWORD), email_verified_at=now, locale="en",
        timezone="Asia/Shanghai")])
    session.execute(insert(OrganisationMember), [dict(
        organisation_id=partner, user_id=partner_organizer, role=OrganisationRole.ORGANIZER)])
    alliance = Alliance(slug="bench-alliance", name_zh="联盟", name_en="Alliance")
    session.add(alliance)
    session.flush()
    session.execute(insert(AllianceMember), [
        dict(alliance_id=alliance.id, organisation_id=office),
        dict(alliance_id=alliance.id, organisation_id=partner)])
    shares.share(session, None, session.get(Organisation, office), alliance, "high_level", False)
    session.commit()
    return {"office": "pool-office", "partner": "partner-office", "counties": counties,
            "people": people}


def import_file(rows: int, people: int, counties: list[str]) -> bytes:
    """A CSV of ``rows`` rows: a tenth already in the pool by e-mail, a twentieth with an error."""
    rng = random.Random(7)
    lines = ["姓名,英文名,手机,邮箱,籍贯,出生年份,工作单位,学历"]
    for n in range(rows):
        email = f"p{rng.randrange(people)}@example.org" if n % 10 == 0 else f"new{n}@example.org"
        year = "unknown" if n % 20 == 1 else str(rng.randint(1960, 2003))
        lines.append(f"{_name(rng)},,138{n:08d},{email},{rng.choice(counties)},{year},"
                     f"{rng.choice(EMPLOYERS)},博士")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _timed(client: Any, pages: list[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = []
    for name, path in pages:
        status = 0
        for _ in range(WARMUPS):
            status = client.get(path).status_code
        samples = []
        for _ in range(RUNS if status == 200 else 0):
            started = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - started)
        rows.append({"page": name, "status": status,
                     "median_ms": round(statistics.median(samples) * 1000, 1) if samples else None,
                     "p95_ms": round(percentile(samples, 95) * 1000, 1) if samples else None})
    return rows


def _signed_in(app: Any, email: str) -> Any:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"{email} could not sign in ({response.status_code})")
    return client


def measure(app: Any, world: dict[str, Any]) -> list[dict[str, Any]]:
    """The office's own pool, then what its alliance partner reads of it."""
    office = world["office"]
    base = f"/o/{office}/talent/people"
    pages = [
        ("list", ""),
        ("search 张伟 (2 characters)", "?q=张伟"),
        ("search 清华大学", "?q=清华大学"),
        ("search pinyin spaced", "?q=zhang+wei"),
        ("search pinyin joined", "?q=zhangwei"),
        ("search English", "?q=Siemens"),
        ("filter category+country", "?category=high_level&country=US"),
        ("filter native province+degree", f"?native={world['counties'][0][:2]}0000&degree=master"),
        ("filter stale", "?stale=1"),
        ("search + filter", "?q=li+na&country=DE"),
    ]
    rows = _timed(_signed_in(app, "organizer@bench.example.org"),
                  [(name, base + query) for name, query in pages])
    shared = f"/o/{world['partner']}/talent/people?scope=shared"
    rows += _timed(_signed_in(app, "partner@bench.example.org"), [
        ("shared list (partner)", shared),
        ("shared search English (partner)", shared + "&q=Siemens"),
        ("shared search 张伟 (partner)", shared + "&q=张伟"),
    ])
    return rows


def run_import(app: Any, world: dict[str, Any], rows: int) -> dict[str, Any]:
    from flask import current_app

    from roadshow.accounts.models import User
    from roadshow.extensions import db
    from roadshow.organisations.models import Organisation
    from roadshow.talent.services import imports

    data = import_file(rows, world["people"], world["counties"])
    with app.app_context():
        session = db.session
        office = session.query(Organisation).filter_by(slug=world["office"]).one()
        actor = session.query(User).filter_by(email="organizer@bench.example.org").one()
        root = Path(current_app.config["UPLOAD_FOLDER"])
        started = time.perf_counter()
        staged = imports.stage(root, actor, office, "bench.csv", data)
        read_s = time.perf_counter() - started
        imports.prepare(session, staged, staged.mapping, "high_level")
        prepared_s = time.perf_counter() - started
        imports.decide(staged, {}, imports.MERGE)
        steps = {"n": 0}

        def step(_next: int, _outcome: Any) -> None:
            steps["n"] += 1
            session.commit()

        outcome = imports.run(session, staged, actor, office, 0, imports.Outcome(), step)
        session.commit()
        total_s = time.perf_counter() - started
        imports.discard(root, staged.token)
    return {"read_s": round(read_s, 2), "detect_s": round(prepared_s - read_s, 2),
            "run_s": round(total_s - prepared_s, 2), "total_s": round(total_s, 2),
            "duplicates": len(staged.matches), "progress_steps": steps["n"], **outcome.as_dict()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 people, 2,000 import rows")
    parser.add_argument("--database-url", default=os.environ.get("ROADSHOW_BENCH_DATABASE_URL"),
                        help="a PostgreSQL URL (a scratch database is made beside it); "
                             "default: a fresh SQLite file")
    args = parser.parse_args()
    people = 20_000 if args.quick else PEOPLE
    import_rows = 2_000 if args.quick else IMPORT_ROWS

    from roadshow.extensions import db
    from roadshow.talent import search_index

    with bench_app(args.database_url) as (app, backend):
        with app.app_context():
            started = time.perf_counter()
            world = build(db.session, people)
            with db.engine.begin() as connection:
                search_index.create(connection)
                # the planner's statistics, as a maintained database has them
                connection.exec_driver_sql("ANALYZE")
            built_s = time.perf_counter() - started
            db.session.remove()
        rows = measure(app, world)
        imported = run_import(app, world, import_rows)

    print(f"{backend}: {people} people (built and indexed in {built_s:.1f} s); "
          f"{WARMUPS} warm-ups, then {RUNS} requests per list")
    print_table("People list (ms)", [
        {"page": r["page"], "status": r["status"], "median": r["median_ms"], "p95": r["p95_ms"],
         "target": f"median < {LIST_MS:.0f}"} for r in rows])
    print_table(f"Import of {import_rows} rows (s)", [imported])
    figures: dict[str, Any] = {"backend": backend, "people": people, "import_rows": import_rows}
    targets: dict[str, Any] = {}
    for r in rows:
        key = "".join(c if c.isalnum() else "_" for c in r["page"].split(" (")[0]).strip("_")
        figures[f"{key}_median_ms"] = r["median_ms"]
        targets[f"{key}_median_ms"] = {"max": LIST_MS}
        if r["status"] != 200:
            figures[f"{key}_status"] = r["status"]
    figures.update({f"import_{k}": v for k, v in imported.items()})
    targets["import_total_s"] = {"max": IMPORT_S}
    emit("talent_pool", figures, targets)


if __name__ == "__main__":
    main()
