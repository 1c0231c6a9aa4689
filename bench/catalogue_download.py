"""Benchmark: the public demand catalogue's downloads, drawn once then read from their file
(issue 15).

Builds one office with 12 districts and a published round of 900 demands (``--quick``: 200),
each with Chinese and English titles, descriptions and offers, inserted in bulk. Then, as an
anonymous visitor, downloads the round's PDF and workbook in Chinese and in English: the first
download of each draws it and stores it in the instance folder, the next ones (``--runs``) are
read from that file. Then one demand is withdrawn and the Chinese PDF downloaded again: a new
file is drawn. Target: a stored download under 200 ms.

``--database-url postgresql+psycopg://user@host/db`` runs on PostgreSQL (a scratch database
beside the one named, dropped after); by default a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._database import bench_app  # noqa: E402
from bench._report import emit, print_table  # noqa: E402

STORED_MS = 200.0
WORDS_ZH = ("负责锂电池正极材料的研发与中试放大，牵头固态电解质界面研究，指导团队完成量产工艺验证，"
            "参与国家重点研发计划项目申报")
WORDS_EN = ("Leads research on cathode materials for lithium batteries and their pilot scale-up, "
            "solid electrolyte interfaces, and the validation of mass-production processes.")


def build(session: Any, demands: int) -> dict[str, Any]:
    from sqlalchemy import insert

    from roadshow.demands.models import Demand, DemandKind, DemandRound, DemandStatus, RoundStatus
    from roadshow.districts.models import District
    from roadshow.organisations.models import Organisation, OrganisationKind

    now = datetime.now(UTC).replace(microsecond=0)

    def ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
        return list(session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                                    rows))

    office = ids(Organisation, [dict(slug="catalogue-office", kind=OrganisationKind.CITY_OFFICE,
                                     name_zh="人才办", name_en="Talent office")])[0]
    districts = ids(District, [dict(organisation_id=office, code=f"d{d}", name_zh=f"板块{d}区",
                                    name_en=f"District {d}") for d in range(12)])
    round_ = ids(DemandRound, [dict(
        organisation_id=office, title_zh="2027年上半年人才需求目录",
        title_en="Talent demands, first half of 2027", opens_on=now.date(), closes_on=now.date(),
        status=RoundStatus.PUBLISHED, published_at=now)])[0]
    demand_ids = ids(Demand, [dict(
        round_id=round_, organisation_id=office, district_id=districts[k % 12],
        company_zh=f"徐州新材料科技有限公司{k}", company_en=f"Xuzhou New Materials Co. {k}",
        kind=DemandKind.POSITION if k % 3 else DemandKind.PROBLEM,
        title_zh=f"固态电池正极材料首席科学家{k}", title_en=f"Chief scientist, solid-state cathodes {k}",
        description_zh=WORDS_ZH, description_en=WORDS_EN, headcount=1 + k % 3,
        salary_min_cny=400_000 + k * 100, salary_max_cny=900_000 + k * 100,
        funding_cny=5_000_000 if k % 4 == 0 else None, housing=k % 2 == 0,
        status=DemandStatus.PUBLISHED, created_at=now, updated_at=now)
        for k in range(demands)])
    session.commit()
    return {"round": round_, "demands": demand_ids}


def timed(client: Any, path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    return elapsed, response.status_code, len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 demands instead of 900")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("ROADSHOW_BENCH_DATABASE_URL"),
                        help="a PostgreSQL URL (a scratch database is made beside it); "
                             "default: a fresh SQLite file")
    args = parser.parse_args()

    from sqlalchemy import update

    from roadshow.demands.models import Demand, DemandStatus
    from roadshow.extensions import db

    size = 200 if args.quick else 900
    rows = []
    with bench_app(args.database_url) as (app, backend):
        with app.app_context():
            world = build(db.session, size)
            db.session.remove()
        client = app.test_client()
        base = f"/o/catalogue-office/catalogue/{world['round']}"
        for fmt, lang in (("pdf", "zh"), ("pdf", "en"), ("xlsx", "zh"), ("xlsx", "en")):
            first, status, size_bytes = timed(client, f"{base}.{fmt}?lang={lang}")
            again = [timed(client, f"{base}.{fmt}?lang={lang}")[0] for _ in range(args.runs)]
            rows.append({"download": f"{fmt} {lang}", "status": status, "bytes": size_bytes,
                         "first_ms": round(first * 1000, 1),
                         "stored_median_ms": round(statistics.median(again) * 1000, 1),
                         "stored_max_ms": round(max(again) * 1000, 1)})
        with app.app_context():
            db.session.execute(update(Demand).where(Demand.id == world["demands"][0])
                               .values(status=DemandStatus.WITHDRAWN))
            db.session.commit()
            db.session.remove()
        changed, status, size_bytes = timed(client, f"{base}.pdf?lang=zh")
        rows.append({"download": "pdf zh, a demand withdrawn", "status": status,
                     "bytes": size_bytes, "first_ms": round(changed * 1000, 1),
                     "stored_median_ms": "", "stored_max_ms": ""})
        stored = sorted(p.name for p in (Path(app.instance_path) / "cache").rglob("*.*"))

    print(f"{backend}: a published round of {size} demands; {args.runs} downloads after the "
          f"first; files kept: {', '.join(stored)}")
    print_table("Downloads (ms)", rows)
    figures: dict[str, Any] = {"backend": backend, "demands": size}
    targets: dict[str, Any] = {}
    for row in rows[:4]:
        key = row["download"].replace(" ", "_")
        figures[f"{key}_first_ms"] = row["first_ms"]
        figures[f"{key}_stored_median_ms"] = row["stored_median_ms"]
        targets[f"{key}_stored_median_ms"] = {"max": STORED_MS}
    figures["pdf_zh_after_change_ms"] = rows[4]["first_ms"]
    emit("catalogue_download", figures, targets)


if __name__ == "__main__":
    main()
