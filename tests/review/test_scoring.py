"""The review's arithmetic, shown by properties: normalisation ignores a judge's own scale,
one judge's ranking is their own order, ties follow the documented rule, quotas hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadshow.review.scoring import (
    Aggregate,
    CriterionSpec,
    ReviewPoint,
    aggregate,
    histogram,
    judge_scales,
    select_finalists,
    weighted_total,
)

RUBRIC = [CriterionSpec("innovation", 30, 1, 10), CriterionSpec("market", 25, 1, 10),
          CriterionSpec("team", 25, 1, 10), CriterionSpec("fit", 20, 1, 5, required=False)]


def test_weighted_total_is_the_weighted_mean_on_a_100_point_scale():
    scores = {"innovation": 10, "market": 1, "team": 1, "fit": 5}
    # innovation and fit at the top (weights 30 + 20), the others at the bottom
    assert weighted_total(scores, RUBRIC) == pytest.approx(50.0)


def test_weighted_total_is_none_when_a_required_criterion_is_missing():
    assert weighted_total({"innovation": 7, "market": 7}, RUBRIC) is None


def test_weighted_total_skips_a_missing_optional_criterion():
    assert weighted_total({"innovation": 10, "market": 10, "team": 10}, RUBRIC) == pytest.approx(100.0)


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(["innovation", "market", "team", "fit"]),
                       st.integers(min_value=1, max_value=5)))
def test_weighted_total_stays_on_the_scale(scores):
    total = weighted_total(scores, RUBRIC)
    assert total is None or 0 <= total <= 100


# reviews: judges 0..3 score applications 0..n with integer totals; every judge reviews >= 2
reviews = st.lists(
    st.tuples(st.integers(0, 11), st.integers(0, 3), st.integers(0, 100)),
    min_size=4, max_size=60, unique_by=lambda t: (t[0], t[1]),
)


def _strict_pairs(aggregates: list[Aggregate]) -> set[tuple[int, int]]:
    """Pairs (a, b) where a's normalised score is clearly above b's."""
    z = {a.application_id: a.z_mean for a in aggregates}
    return {(a, b) for a in z for b in z if z[a] - z[b] > 1e-6}


@settings(max_examples=150, deadline=None)
@given(reviews, st.integers(0, 3), st.floats(0.1, 10), st.floats(-50, 50))
def test_a_judges_affine_rescaling_does_not_change_the_normalised_ranking(rows, judge, factor, shift):
    before = aggregate([ReviewPoint(a, j, float(t)) for a, j, t in rows])
    after = aggregate([ReviewPoint(a, j, float(t) * factor + shift if j == judge else float(t))
                       for a, j, t in rows])
    assert _strict_pairs(before) == _strict_pairs(after)
    z_after = {a.application_id: a.z_mean for a in after}
    for a in before:
        assert z_after[a.application_id] == pytest.approx(a.z_mean, abs=1e-6)


@settings(deadline=None)
@given(st.lists(st.integers(0, 100), min_size=1, max_size=40))
def test_aggregation_of_one_judge_equals_their_own_order(totals):
    result = aggregate([ReviewPoint(app_id, "solo", float(t)) for app_id, t in enumerate(totals)])
    own_order = sorted(range(len(totals)), key=lambda app_id: (-totals[app_id], app_id))
    assert [a.application_id for a in result] == own_order
    assert [a.normalised_rank for a in result] == list(range(1, len(totals) + 1))


def test_normalisation_lifts_a_project_that_only_a_harsh_judge_scored_low():
    # the harsh judge scores everything low, and app 1 is the best they saw by far
    points = [ReviewPoint(app, judge, total) for app, judge, total in [
        (1, "harsh", 50), (3, "harsh", 20), (5, "harsh", 30), (6, "harsh", 25),
        (1, "fair", 80), (2, "fair", 78), (4, "fair", 50), (5, "fair", 60),
        (2, "kind", 80), (3, "kind", 70), (4, "kind", 75), (6, "kind", 72),
    ]]
    by_app = {a.application_id: a for a in aggregate(points)}
    assert by_app[2].raw_rank < by_app[1].raw_rank  # raw: the harsh judge's 50 drags app 1 down
    assert by_app[1].normalised_rank < by_app[2].normalised_rank  # normalised: app 1 is the best
    assert by_app[1].rank_shift > 0


def test_ties_go_to_more_reviews_then_higher_raw_mean_then_the_earlier_application():
    points = [ReviewPoint(7, "a", 60), ReviewPoint(3, "b", 60), ReviewPoint(3, "c", 60)]
    # every judge's z is 0 (one review, or all equal): a tie on normalised score
    ranked = aggregate(points)
    assert [a.application_id for a in ranked] == [3, 7]  # 3 has two reviews
    same = aggregate([ReviewPoint(9, "a", 60), ReviewPoint(4, "b", 60)])
    assert [a.application_id for a in same] == [4, 9]


def test_high_disagreement_is_flagged():
    ranked = {a.application_id: a for a in aggregate([
        ReviewPoint(1, "a", 90), ReviewPoint(1, "b", 40), ReviewPoint(2, "a", 70), ReviewPoint(2, "b", 72)])}
    assert ranked[1].disagreement
    assert ranked[1].spread == 50
    assert not ranked[2].disagreement


def _agg(app_id: int, z: float) -> Aggregate:
    return Aggregate(app_id, 3, 50 + z, 1, 1, z, 50 + z)


def test_finalists_are_the_top_n_with_track_quotas_and_overrides():
    ranked = [_agg(i, 10 - i) for i in range(10)]  # 0 best .. 9 worst
    track_of = {i: ("bio" if i >= 7 else "ict") for i in range(10)}
    assert select_finalists(ranked, 3) == [0, 1, 2]
    # one seat reserved for bio: its best (7) gets it, the other seats by rank
    assert select_finalists(ranked, 3, track_of=track_of, quota={"bio": 1}) == [0, 1, 7]
    # overrides: 9 in whatever its rank, 0 out whatever its rank
    assert select_finalists(ranked, 3, forced_in=[9], forced_out=[0]) == [1, 2, 9]


@settings(deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=50))
def test_histogram_counts_every_value(values):
    assert sum(n for _lo, _hi, n in histogram(values)) == len(values)


def test_judge_scales_show_who_is_harsh():
    scales = judge_scales([ReviewPoint(1, "harsh", 20), ReviewPoint(2, "harsh", 40),
                           ReviewPoint(1, "kind", 80), ReviewPoint(2, "kind", 90)])
    assert scales["harsh"][:2] == (2, 30)
    assert scales["kind"][1] > scales["harsh"][1]
