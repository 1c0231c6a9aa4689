"""How long deciding the due reminders takes: 10,000 finalists' pitches and 10,000 judges' review
windows (half of each due at the moment asked), decided by roadshow.reminders.due as the periodic
run does, with the time and the memory it takes. Last line JSON.

    .venv/bin/python bench/reminders.py [--count 10000 | --quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._report import emit  # noqa: E402
from roadshow.reminders.due import Moment, before_deadline, pitch_reminders  # noqa: E402

NOW = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)


def moments(count: int) -> tuple[list[Moment], list[Moment]]:
    """Pitches every minute around ``NOW``: half within a day (due), half further on."""
    pitches = [Moment(i, 100_000 + i, NOW + timedelta(minutes=30 + i * 2 * 1440 // count))
               for i in range(count)]
    windows = [Moment(i % 50, 200_000 + i, NOW + timedelta(hours=1 + (i % 96)))
               for i in range(count)]
    return pitches, windows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 of each")
    args = parser.parse_args()
    if args.quick:
        args.count = 2_000
    pitches, windows = moments(args.count)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        due = pitch_reminders(pitches, NOW) + before_deadline(
            "review_closing", windows, timedelta(days=2), NOW)
        timings.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    due = pitch_reminders(pitches, NOW) + before_deadline("review_closing", windows,
                                                          timedelta(days=2), NOW)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    keys = {d.dedupe_key for d in due}
    print(f"{len(due)} due reminders of {2 * args.count} moments ({len(keys)} distinct keys)")
    print(f"decided in {statistics.median(timings):.1f} ms median, peak {peak / 1e6:.1f} MB")
    emit("reminders", {"moments": 2 * args.count, "due": len(due),
                       "decide_median_ms": round(statistics.median(timings), 1),
                       "peak_mb": round(peak / 1e6, 2)},
         {"decide_median_ms": {"max": 1000}})


if __name__ == "__main__":
    main()
