"""Benchmark: aggregation and ranking of 10,000 applications x 3 reviews x 5 criteria.

Weighted totals for every review, per-judge z-score normalisation, raw and normalised ranks
with the tie rule, disagreement flags and the top-32 selection; pure Python, no database.
Target: under 0.5 s. ``--quick`` runs 1,000 applications.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._report import emit, print_table, summary_ms  # noqa: E402
from roadshow.review.scoring import (  # noqa: E402
    CriterionSpec,
    ReviewPoint,
    aggregate,
    select_finalists,
    weighted_total,
)

CRITERIA = [CriterionSpec(code, weight, 1, 10) for code, weight in
            [("innovation", 30), ("market", 20), ("team", 20), ("fit", 15), ("impact", 15)]]


def build(n_apps: int, n_judges: int, rng: random.Random) -> list[tuple[int, int, dict[str, float]]]:
    bias = {j: rng.gauss(0, 1.2) for j in range(n_judges)}
    reviews = []
    for app in range(n_apps):
        quality = rng.gauss(6, 1.5)
        for judge in rng.sample(range(n_judges), 3):
            reviews.append((app, judge, {c.code: float(min(10, max(1, round(quality + bias[judge] + rng.gauss(0, 1)))))
                                         for c in CRITERIA}))
    return reviews


def run(reviews: list[tuple[int, int, dict[str, float]]]) -> tuple[int, int]:
    points = [ReviewPoint(app, judge, weighted_total(scores, CRITERIA)) for app, judge, scores in reviews]
    ranked = aggregate(points)
    finalists = select_finalists(ranked, 32)
    return len(ranked), len(finalists)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_apps = 1_000 if args.quick else 10_000
    repeats = 3 if args.quick else 5
    reviews = build(n_apps, 200, random.Random(7))
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        ranked, finalists = run(reviews)
        samples.append(time.perf_counter() - started)
    figures = {"applications": n_apps, "reviews": len(reviews), "criteria": len(CRITERIA),
               "ranked": ranked, "finalists": finalists, **summary_ms(samples)}
    print_table("Review aggregation and ranking", [figures])
    emit("review_ranking", figures, {"median_ms": {"max": 500}})


if __name__ == "__main__":
    main()
