"""Benchmark: the matching pages on the demo (issue 15): a demand's ranked people and
applications, a person's and an application's demands, the chain maps and their workbook, the
project list, as the demo's Xuzhou organizer (3,300 people, 345 matchable demands).

Loads the demo into a fresh database, signs in, then requests each page: the first demand page
builds the office's candidate index (cold), the next ones reuse it (warm). Prints the median and
p95 of ``--runs`` requests per page. Target: a warm demand page under 300 ms, the chain maps
under 500 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._database import bench_app  # noqa: E402
from bench._report import emit, percentile, print_table  # noqa: E402

TARGETS_MS = {"demand (warm)": 300, "chain maps": 500}


def _ids(session: Any) -> dict[str, Any]:
    from sqlalchemy import select

    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.demands.models import Demand, DemandStatus, IndustryChain
    from roadshow.organisations.models import Organisation
    from roadshow.scoping import unscoped
    from roadshow.talent.models import Person

    office = session.scalar(select(Organisation).where(Organisation.slug == "xuzhou"))
    return {
        "office": office.slug,
        "demands": list(session.scalars(unscoped(select(Demand.id).where(
            Demand.organisation_id == office.id, Demand.status == DemandStatus.ACCEPTED)
            .order_by(Demand.id).limit(12), "the benchmark picks demands"))),
        "person": session.scalar(select(Person.id).where(Person.organisation_id == office.id)
                                 .order_by(Person.id)),
        "application": session.scalar(unscoped(select(Application.id).where(
            Application.status == ApplicationStatus.FINALIST).order_by(Application.id),
            "the benchmark picks an application")),
        "chain": session.scalar(select(IndustryChain.id).where(
            IndustryChain.organisation_id == office.id).order_by(IndustryChain.id)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("ROADSHOW_BENCH_DATABASE_URL"))
    args = parser.parse_args()

    from roadshow.demo.commands import load_demo
    from roadshow.extensions import db

    with bench_app(args.database_url) as (app, backend):
        with app.app_context():
            logins = load_demo(db.session)
            ids = _ids(db.session)
            db.session.remove()
        email, password = next((e, p) for role, e, p in logins if role == "organizer")
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": password}
                           ).status_code == 302, "login failed"
        base = f"/o/{ids['office']}/demands"

        def timed(path: str) -> float:
            started = time.perf_counter()
            response = client.get(path)
            took = time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            return took * 1000

        cold = timed(f"{base}/{ids['demands'][0]}/matches")
        rows = [{"page": "demand (cold)", "median": round(cold), "p95": "", "runs": 1}]
        pages = {
            "demand (warm)": [f"{base}/{d}/matches" for d in ids["demands"][1:]],
            "person": [f"{base}/matches/people/{ids['person']}"],
            "application": [f"{base}/matches/applications/{ids['application']}"],
            "chain maps": [f"{base}/chains"],
            "one chain": [f"{base}/chains/{ids['chain']}"],
            "chain workbook": [f"{base}/chains.xlsx"],
            "project list": [f"{base}/projects"],
        }
        for page, paths in pages.items():
            samples = [timed(paths[n % len(paths)]) for n in range(args.runs)]
            rows.append({"page": page, "median": round(percentile(samples, 50)),
                         "p95": round(percentile(samples, 95)), "runs": len(samples)})
    print(f"{backend}: the demo's Xuzhou office, {args.runs} requests per page")
    print_table("Pages (ms)", rows)
    figures = {"backend": backend, **{f"{r['page']}_median_ms": r["median"] for r in rows},
               **{f"{r['page']}_p95_ms": r["p95"] for r in rows if r["p95"] != ""}}
    emit("match_pages", figures,
         {f"{page}_p95_ms": {"max": target} for page, target in TARGETS_MS.items()})


if __name__ == "__main__":
    main()
