"""Benchmark: loading the demo event into a fresh SQLite database, step by step.

Builds an empty SQLite file from the models, then runs every step of ``roadshow demo``
(``roadshow.demo.commands.STEPS``) in order, timing each and the total, and counts the rows it
made. Target: the whole demo in under 30 s, so that the README's first command starts quickly.
``--quick`` loads it once; the full run loads it three times into fresh files and reports the
median of each step.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._report import emit, print_table  # noqa: E402

TARGET_TOTAL_S = 30.0


def load_once(workdir: Path) -> tuple[dict[str, float], dict[str, int]]:
    """One load into a fresh database; seconds per step and rows per table."""
    from sqlalchemy import func, select

    from roadshow import create_app
    from roadshow.db import Base
    from roadshow.demo.commands import STEPS
    from roadshow.demo.context import DemoContext
    from roadshow.extensions import db

    app = create_app({
        "SECRET_KEY": "bench", "INSTANCE_PATH": str(workdir / "instance"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'demo.db'}",
        "SMTP_HOST": None, "TESTING": True,
    })
    timings: dict[str, float] = {}
    with app.app_context():
        started = time.perf_counter()
        Base.metadata.create_all(db.engine)
        timings["schema"] = time.perf_counter() - started
        ctx = DemoContext(session=db.session, today=datetime.now(ZoneInfo("Asia/Shanghai")).date())
        for name in STEPS:
            module = importlib.import_module(name)
            started = time.perf_counter()
            module.load(ctx)
            db.session.commit()
            timings[getattr(module, "TITLE", name)] = time.perf_counter() - started
        rows = {table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables}
        db.session.remove()
        db.engine.dispose()
    return timings, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="load once (well within a minute)")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3

    runs: list[dict[str, float]] = []
    rows: dict[str, int] = {}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="roadshow-bench-") as tmp:
            timings, rows = load_once(Path(tmp))
        runs.append(timings)

    steps = list(runs[0])
    medians = {step: statistics.median(run[step] for run in runs) for step in steps}
    total = statistics.median(sum(run.values()) for run in runs)
    print_table(f"Demo load into a fresh SQLite database (median of {repeats} run(s))", [
        *({"step": step, "seconds": f"{medians[step]:.2f}",
           "share": f"{100 * medians[step] / total:.0f}%"} for step in steps),
        {"step": "total", "seconds": f"{total:.2f}", "share": "100%"},
    ])
    made = {name: count for name, count in rows.items() if count}
    print_table("Rows loaded", [{"table": name, "rows": count} for name, count in made.items()])
    emit("demo_load", {
        "runs": repeats,
        "total_s": round(total, 2),
        "steps_s": {step: round(value, 3) for step, value in medians.items()},
        "rows": sum(made.values()),
    }, {"total_s": {"max": TARGET_TOTAL_S}})


if __name__ == "__main__":
    main()
