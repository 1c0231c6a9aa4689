"""Benchmark: assignment of 10,000 applications to 200 judges, 3 judges each, with 2% of the
(judge, application) pairs in conflict and four expertise tracks.

Target: under 5 s. ``--quick`` runs 1,000 applications to 40 judges.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._report import emit, print_table  # noqa: E402
from roadshow.review.assignment import ApplicationSpec, JudgeSpec, assign, load_spread  # noqa: E402

TRACKS = ["equipment", "ict", "bio", "energy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_apps, n_judges = (1_000, 40) if args.quick else (10_000, 200)
    rng = random.Random(11)
    apps = [ApplicationSpec(i, rng.choice(TRACKS)) for i in range(n_apps)]
    judges = [JudgeSpec(j, frozenset(rng.sample(TRACKS, 2))) for j in range(n_judges)]
    conflicts = {(j, a) for a in range(n_apps) for j in range(n_judges) if rng.random() < 0.02}
    started = time.perf_counter()
    result = assign(apps, judges, 3, conflicts=conflicts)
    elapsed = time.perf_counter() - started
    violated = sum(1 for a, j in result.pairs if (j, a) in conflicts)
    figures = {
        "applications": n_apps, "judges": n_judges, "conflicts": len(conflicts),
        "assignments": len(result.pairs), "short": sum(result.short.values()),
        "conflicts_violated": violated, "load_spread": load_spread(result.load),
        "expertise_match_pct": round(100 * result.expertise_matches / max(1, len(result.pairs)), 1),
        "seconds": round(elapsed, 3),
    }
    print_table("Review assignment", [figures])
    emit("review_assignment", figures, {"seconds": {"max": 5.0}, "conflicts_violated": {"max": 0},
                                        "load_spread": {"max": 1}})


if __name__ == "__main__":
    main()
