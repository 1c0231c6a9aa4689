"""Shared output for benchmarks: a readable table, then one JSON line with figures and targets."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Mapping, Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lower, upper = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (k - lower)


def summary_ms(samples_s: Sequence[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples_s) * 1000, 2),
        "p95_ms": round(percentile(samples_s, 95) * 1000, 2),
        "max_ms": round(max(samples_s) * 1000, 2),
    }


def print_table(title: str, rows: Sequence[Mapping[str, Any]]) -> None:
    print(f"\n{title}")
    if not rows:
        return
    columns = list(rows[0].keys())
    widths = {c: max(len(str(c)), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    print("  ".join(str(c).ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


def emit(name: str, figures: Mapping[str, Any], targets: Mapping[str, Any]) -> None:
    """The last line a benchmark prints: its figures and the targets they are held against."""
    met = {}
    for key, target in targets.items():
        value = figures.get(key)
        if isinstance(target, dict) and value is not None:
            ok = True
            if "max" in target:
                ok = ok and value <= target["max"]
            if "min" in target:
                ok = ok and value >= target["min"]
            met[key] = ok
    sys.stdout.flush()
    print(json.dumps({"benchmark": name, "figures": figures, "targets": targets, "met": met},
                     ensure_ascii=False, default=str))
