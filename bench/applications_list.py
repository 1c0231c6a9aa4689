"""Benchmark: the organizer's application list and exports at 10,000 applications on SQLite.

Loads 10,000 applications (with applicants, profiles, districts of interest and deck records)
into a fresh SQLite file, signs an organizer in through the Flask test client and measures:

* the first page of the list, and a filtered page (track + country + district of interest),
  and a search, per request: median and p95;
* the CSV and the Excel export of all 10,000 rows.

Targets: list pages under 50 ms median, each export under 3 s.
``--quick`` loads 2,000 applications and repeats less.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._report import emit, print_table, summary_ms  # noqa: E402

PASSWORD = "Bench-password-1"  # noqa: S105 - a throwaway account in a temporary database


def load(app, count: int) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import (
        ApplicantProfile,
        Application,
        ApplicationStatus,
        Deck,
        ProjectStage,
        application_districts,
    )
    from roadshow.demo import facts
    from roadshow.districts.models import District
    from roadshow.events.models import Event, EventPhase, PhaseKind, Track
    from roadshow.extensions import db

    rng = random.Random(7)
    session = db.session
    fast_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    now = datetime.now(UTC)
    districts = [District(code=c, name_zh=zh, name_en=en, kind=k) for c, zh, en, k, *_ in facts.DISTRICTS]
    event = Event(slug="bench", timezone="Asia/Shanghai", **{k: v for k, v in facts.EVENT.items() if k != "slug"})
    event.districts = districts
    event.phases = [EventPhase(kind=PhaseKind.CALL, starts_at=now - timedelta(days=60),
                               ends_at=now + timedelta(days=1))]
    event.tracks = [Track(code=c, name_zh=zh, name_en=en, position=i) for i, (c, zh, en) in enumerate(facts.TRACKS)]
    session.add(event)
    session.add(User(email="organizer@bench.example", password_hash=fast_hash, role=Role.ORGANIZER,
                     name="Organizer", locale="en", timezone="Asia/Shanghai", email_verified_at=now))
    session.commit()
    track_ids = [t.id for t in event.tracks]
    district_ids = [d.id for d in districts]
    countries = list(facts.COUNTRIES)
    weights = [facts.COUNTRIES[c][0] for c in countries]

    first_user = 1000
    users, profiles, applications, links, decks = [], [], [], [], []
    for i in range(count):
        user_id = first_user + i
        country = rng.choices(countries, weights)[0]
        family, _ = rng.choice(facts.FAMILY_NAMES)
        given, _ = rng.choice(facts.GIVEN_NAMES)
        users.append({"id": user_id, "email": f"a{i}@bench.example", "password_hash": fast_hash,
                      "role": Role.APPLICANT, "name": f"{given} {family}", "locale": "en",
                      "timezone": "UTC", "email_verified_at": now, "active": True,
                      "session_token": secrets.token_urlsafe(8), "created_at": now})
        profiles.append({"user_id": user_id, "name_latin": f"{given} {family}", "nationality": country,
                         "country_of_residence": country, "institution": "University",
                         "position": "Professor", "highest_degree": "phd", "research_field": "Materials",
                         "bio": "", "updated_at": now})
        submitted = now - timedelta(minutes=rng.randint(0, 60 * 24 * 59))
        status = rng.choices([ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN, ApplicationStatus.DRAFT],
                             [90, 4, 6])[0]
        applications.append({
            "id": i + 1, "event_id": event.id, "applicant_id": user_id, "track_id": rng.choice(track_ids),
            "status": status, "title_en": f"Project {i}: solid-state battery materials",
            "title_zh": f"项目 {i}：固态电池材料", "summary": "A summary of the project. " * 8,
            "stage": rng.choice(list(ProjectStage)), "team_size": rng.randint(2, 30),
            "funding_sought_cny": Decimal(rng.randint(1, 20) * 1_000_000), "support_sought": "Premises.",
            "video_url": "", "country": country, "created_at": submitted, "updated_at": submitted,
            "submitted_at": None if status == ApplicationStatus.DRAFT else submitted, "version": 1,
            "last_form_token": ""})
        for district_id in rng.sample(district_ids, k=rng.randint(1, 3)):
            links.append({"application_id": i + 1, "district_id": district_id})
        decks.append({"application_id": i + 1, "original_name": f"deck-{i}.pdf",
                      "stored_name": secrets.token_urlsafe(18), "content_type": "application/pdf",
                      "size_bytes": 800_000, "sha256": secrets.token_hex(32), "page_count": 12,
                      "uploaded_at": submitted})
    session.execute(insert(User), users)
    session.execute(insert(ApplicantProfile), profiles)
    session.execute(insert(Application), applications)
    session.execute(insert(application_districts), links)
    session.execute(insert(Deck), decks)
    session.commit()
    return event.id


def timed(client, url: str, repeat: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Wall-clock and CPU seconds per request (CPU time shows the cost when the machine is busy)."""
    client.get(url)  # warm caches and compile templates
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 applications, fewer repeats")
    args = parser.parse_args()
    count, repeat, export_repeat = (2_000, 15, 1) if args.quick else (10_000, 40, 3)

    from roadshow import create_app
    from roadshow.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="bench-applications-"))
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}", "INSTANCE_PATH": str(workdir),
        "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False, "SMTP_HOST": None,
    })
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        event_id = load(app, count)
        load_s = time.perf_counter() - started
        from roadshow.events.models import Event

        event = db.session.get(Event, event_id)
        track_id, district_id = event.tracks[1].id, event.districts[6].id

    client = app.test_client()
    response = client.post("/login", data={"email": "organizer@bench.example", "password": PASSWORD})
    assert response.status_code == 302, "organizer could not sign in"

    base = f"/organizer/applications?event={event_id}"
    pages = {
        "first page": base,
        "filtered page": f"{base}&track={track_id}&country=US&district={district_id}",
        "search": f"{base}&q=Project%2012",
        "page 20 by title": f"{base}&page=20&sort=title",
    }
    rows, figures = [], {"applications": count, "load_s": round(load_s, 2)}
    for label, url in pages.items():
        wall, cpu = timed(client, url, repeat)
        summary = summary_ms(wall)
        cpu_median = round(statistics.median(cpu) * 1000, 2)
        rows.append({"request": label, **summary, "cpu_median_ms": cpu_median, "n": repeat})
        key = label.replace(" ", "_")
        figures[f"{key}_median_ms"] = summary["median_ms"]
        figures[f"{key}_p95_ms"] = summary["p95_ms"]
        figures[f"{key}_cpu_median_ms"] = cpu_median

    for label, path, kind in (("CSV export", "export.csv", "csv"), ("Excel export", "export.xlsx", "xlsx")):
        samples, cpu = [], []
        for _ in range(export_repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/organizer/applications/{path}?event={event_id}")
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200
        size = len(response.data)
        rows.append({"request": f"{label} (all received)", "median_ms": round(statistics.median(samples) * 1000, 1),
                     "p95_ms": round(max(samples) * 1000, 1), "max_ms": round(max(samples) * 1000, 1),
                     "cpu_median_ms": round(statistics.median(cpu) * 1000, 1), "n": export_repeat})
        figures[f"export_{kind}_s"] = round(statistics.median(samples), 3)
        figures[f"export_{kind}_cpu_s"] = round(statistics.median(cpu), 3)
        figures[f"export_{kind}_bytes"] = size

    print_table(f"Organizer application list, {count:,} applications on SQLite (load {load_s:.1f} s; "
                f"machine load average {os.getloadavg()[0]:.1f})", rows)
    figures["load_average"] = round(os.getloadavg()[0], 2)
    emit("applications_list", figures, {
        "first_page_median_ms": {"max": 50},
        "filtered_page_median_ms": {"max": 50},
        "export_csv_s": {"max": 3},
        "export_xlsx_s": {"max": 3},
    })


if __name__ == "__main__":
    main()
