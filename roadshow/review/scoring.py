"""The review's arithmetic: weighted totals, per-judge normalisation, ranking, finalists.

Pure: no Flask, no SQLAlchemy, so it is tested with Hypothesis and benchmarked alone.

Weighted total
    Each criterion's value is placed on a 0-100 scale within its own range
    ((value - scale_min) / (scale_max - scale_min) * 100) and the weighted mean of those is the
    review's total, out of 100. A review with a required criterion unscored has no total.

Normalisation
    A harsh or lenient judge must not decide the outcome. Each judge's totals are turned into
    z-scores against that judge's own totals (mean 0, standard deviation 1; a judge with fewer
    than two reviews, or who gave every application the same total, contributes z = 0). An
    application's normalised score is the mean of its reviews' z-scores, mapped back onto the
    100-point scale as ``pooled mean + z * pooled standard deviation`` of all totals. Any
    positive affine rescaling of one judge's totals leaves their z-scores, and so the
    normalised ranking, unchanged.

Ranking and ties
    Raw rank orders by mean total, normalised rank by normalised score, both descending.
    Scores equal to 1e-9 are ties, broken in this documented order: more reviews first, then
    the higher score of the other kind (raw mean for the normalised rank, normalised score for
    the raw rank), then the smaller spread (judges agreed), then the lower application id (the
    earlier application).

Disagreement
    An application is flagged when its reviews' totals span at least ``DISAGREEMENT_SPREAD``
    points (of 100).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

TOTAL_SCALE = 100.0
DISAGREEMENT_SPREAD = 25.0
TIE_DIGITS = 9


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    weight: float
    scale_min: float = 1
    scale_max: float = 10
    required: bool = True


class ScoreOutOfRangeError(ValueError):
    """A value outside its criterion's scale."""

    def __init__(self, code: str, value: float, spec: CriterionSpec) -> None:
        super().__init__(f"{code}: {value} is outside {spec.scale_min}-{spec.scale_max}")
        self.code = code
        self.value = value
        self.spec = spec


def check_score(value: float, spec: CriterionSpec) -> float:
    if not math.isfinite(value) or value < spec.scale_min or value > spec.scale_max:
        raise ScoreOutOfRangeError(spec.code, value, spec)
    return float(value)


def missing_required(scores: Mapping[str, float], criteria: Sequence[CriterionSpec]) -> list[str]:
    return [c.code for c in criteria if c.required and scores.get(c.code) is None]


def weighted_total(scores: Mapping[str, float], criteria: Sequence[CriterionSpec]) -> float | None:
    """The review's total out of 100, or None when a required criterion is missing."""
    weighted = 0.0
    weights = 0.0
    get = scores.get
    for spec in criteria:
        value = get(spec.code)
        if value is None:
            if spec.required:
                return None
            continue
        low = spec.scale_min
        span = spec.scale_max - low
        weight = spec.weight
        weighted += weight * ((value - low) / span if span else 1.0)
        weights += weight
    if weights <= 0:
        return None
    return weighted / weights * TOTAL_SCALE


class ReviewPoint(NamedTuple):
    """A submitted review's total, as aggregation sees it."""

    application_id: int
    judge_id: Hashable
    total: float


@dataclass(slots=True)
class Aggregate:
    application_id: int
    count: int
    mean: float
    spread: float  # highest total minus lowest
    stdev: float
    z_mean: float
    normalised: float
    raw_rank: int = 0
    normalised_rank: int = 0
    disagreement: bool = False

    @property
    def rank_shift(self) -> int:
        """Places gained (positive) or lost through normalisation."""
        return self.raw_rank - self.normalised_rank


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, 0.0
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var)


def judge_z_scores(points: Sequence[ReviewPoint]) -> list[float]:
    """Each review's z-score against its own judge's totals (same order as ``points``)."""
    by_judge: dict[Hashable, list[float]] = defaultdict(list)
    for _app, judge, total in points:
        by_judge[judge].append(total)
    stats = {}
    for judge, totals in by_judge.items():
        mean, sd = _mean_sd(totals)
        # a judge whose totals barely move relative to their size is treated as constant
        stats[judge] = (mean, sd if sd > 1e-12 * max(1.0, abs(mean)) else 0.0)
    z = []
    append = z.append
    for _app, judge, total in points:
        mean, sd = stats[judge]
        append((total - mean) / sd if sd else 0.0)
    return z


def judge_scales(points: Iterable[ReviewPoint]) -> dict[Hashable, tuple[int, float, float]]:
    """Each judge's own scale: (reviews, mean total, standard deviation), what normalisation
    takes out."""
    by_judge: dict[Hashable, list[float]] = defaultdict(list)
    for p in points:
        by_judge[p.judge_id].append(p.total)
    return {judge: (len(totals), *_mean_sd(totals)) for judge, totals in by_judge.items()}


def aggregate(points: Iterable[ReviewPoint], *, disagreement_spread: float = DISAGREEMENT_SPREAD
              ) -> list[Aggregate]:
    """Per-application aggregates with raw and normalised ranks, best first by normalised rank."""
    points = list(points)
    if not points:
        return []
    z = judge_z_scores(points)
    pooled_mean, pooled_sd = _mean_sd([p.total for p in points])
    totals: dict[int, list[float]] = defaultdict(list)
    zs: dict[int, list[float]] = defaultdict(list)
    for (app_id, _judge, total), zi in zip(points, z, strict=True):
        totals[app_id].append(total)
        zs[app_id].append(zi)
    raw_keys = []
    norm_keys = []
    for app_id, values in totals.items():
        n = len(values)
        mean = sum(values) / n
        sd = math.sqrt(sum([(v - mean) ** 2 for v in values]) / (n - 1)) if n > 1 else 0.0
        z_mean = sum(zs[app_id]) / n
        spread = max(values) - min(values)
        a = Aggregate(app_id, n, mean, spread, sd, z_mean, pooled_mean + z_mean * pooled_sd, 0, 0,
                      n > 1 and spread >= disagreement_spread)
        zr, mr = round(z_mean, TIE_DIGITS), round(mean, TIE_DIGITS)
        raw_keys.append((-mr, -n, -zr, spread, app_id, a))
        norm_keys.append((-zr, -n, -mr, spread, app_id, a))
    raw_keys.sort(key=_without_object)
    for i, key in enumerate(raw_keys, 1):
        key[-1].raw_rank = i
    norm_keys.sort(key=_without_object)
    ordered = []
    for i, key in enumerate(norm_keys, 1):
        key[-1].normalised_rank = i
        ordered.append(key[-1])
    return ordered


def _without_object(key: tuple) -> tuple:  # type: ignore[type-arg]
    return key[:5]


def normalised_key(a: Aggregate) -> tuple[float, int, float, float, int]:
    """The sort key of the normalised ranking, with the documented tie rule."""
    return (-round(a.z_mean, TIE_DIGITS), -a.count, -round(a.mean, TIE_DIGITS), a.spread,
            a.application_id)


def select_finalists(
    ranked: Sequence[Aggregate],
    count: int,
    *,
    track_of: Mapping[int, Hashable] | None = None,
    quota: Mapping[Hashable, int] | None = None,
    forced_in: Iterable[int] = (),
    forced_out: Iterable[int] = (),
) -> list[int]:
    """Application ids of the finalists, in normalised-rank order.

    ``quota`` reserves seats per track, filled by that track's best; seats a track cannot fill,
    and the seats left after all quotas, go to the best remaining applications of any track.
    Organizer overrides: ``forced_in`` are finalists whatever their rank (taking seats first),
    ``forced_out`` never are.
    """
    ordered = sorted(ranked, key=normalised_key)
    forced_in = list(dict.fromkeys(forced_in))
    excluded = set(forced_out) | set(forced_in)
    chosen: list[int] = list(forced_in)
    seats = max(0, count - len(chosen))
    track_of = track_of or {}
    taken: set[int] = set(chosen)
    if quota:
        used: dict[Hashable, int] = defaultdict(int)
        for app_id in forced_in:
            used[track_of.get(app_id)] += 1
        for a in ordered:
            if seats <= 0:
                break
            track = track_of.get(a.application_id)
            if a.application_id in excluded or track not in quota:
                continue
            if used[track] < quota[track]:
                used[track] += 1
                chosen.append(a.application_id)
                taken.add(a.application_id)
                seats -= 1
    for a in ordered:
        if seats <= 0:
            break
        if a.application_id in excluded or a.application_id in taken:
            continue
        chosen.append(a.application_id)
        seats -= 1
    position = {a.application_id: i for i, a in enumerate(ordered)}
    return sorted(chosen, key=lambda app_id: position.get(app_id, len(position)))


def histogram(values: Iterable[float], *, low: float = 0.0, high: float = TOTAL_SCALE,
              bins: int = 10) -> list[tuple[float, float, int]]:
    """Counts of values in ``bins`` equal ranges between low and high: (start, end, count)."""
    span = high - low
    width = span / bins
    counts = [0] * bins
    for v in values:
        # scaled before dividing, so a value on a bin's edge is not misplaced by a width like 0.1
        i = int((v - low) * bins // span) if span else 0
        counts[min(max(i, 0), bins - 1)] += 1
    return [(low + i * width, low + (i + 1) * width, counts[i]) for i in range(bins)]
