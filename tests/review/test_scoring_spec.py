"""The review's arithmetic pinned to values: each test states one rule of roadshow.review.scoring
with numbers worked out by hand, so a change of sign, of the standard deviation used, of a
tie-break or of a boundary fails here (issue 18; bin/mutation checks these tests bite)."""

from __future__ import annotations

import math

import pytest

from roadshow.review.scoring import (
    Aggregate,
    CriterionSpec,
    ReviewPoint,
    ScoreOutOfRangeError,
    aggregate,
    check_score,
    histogram,
    judge_scales,
    judge_z_scores,
    missing_required,
    select_finalists,
    weighted_total,
)

SQRT_HALF = math.sqrt(0.5)


# --- checking one value and the rubric ---------------------------------------------------------

@pytest.mark.parametrize("value", [1, 10, 5.5])
def test_check_score_accepts_the_scale_and_its_ends(value):
    result = check_score(value, CriterionSpec("team", 1, 1, 10))
    assert result == value
    assert isinstance(result, float)


@pytest.mark.parametrize("value", [0.999, 10.001, math.nan, math.inf, -math.inf])
def test_check_score_refuses_a_value_outside_the_scale_or_not_a_number(value):
    spec = CriterionSpec("team", 1, 1, 10)
    with pytest.raises(ScoreOutOfRangeError) as refused:
        check_score(value, spec)
    assert refused.value.code == "team"
    assert refused.value.spec is spec
    assert refused.value.value == value or math.isnan(value)
    assert str(refused.value) == f"team: {value} is outside 1-10"


def test_missing_required_lists_required_criteria_without_a_value_in_rubric_order():
    rubric = [CriterionSpec("a", 1), CriterionSpec("b", 1, required=False), CriterionSpec("c", 1),
              CriterionSpec("d", 1)]
    assert missing_required({"a": 3, "c": None}, rubric) == ["c", "d"]
    assert missing_required({"a": 3, "c": 4, "d": 1}, rubric) == []


# --- weighted total -----------------------------------------------------------------------------

def test_weighted_total_skips_a_missing_optional_criterion_listed_before_a_required_one():
    rubric = [CriterionSpec("fit", 20, 1, 5, required=False), CriterionSpec("team", 25, 1, 10)]
    assert weighted_total({"team": 10}, rubric) == pytest.approx(100.0)


def test_weighted_total_counts_a_single_point_scale_as_full_marks():
    rubric = [CriterionSpec("yes", 1, 1, 1), CriterionSpec("team", 1, 1, 10)]
    assert weighted_total({"yes": 1, "team": 1}, rubric) == pytest.approx(50.0)


def test_weighted_total_of_one_criterion_of_weight_one_is_its_place_on_the_scale():
    assert weighted_total({"team": 4}, [CriterionSpec("team", 1, 1, 10)]) == pytest.approx(
        100 / 3)


def test_weighted_total_is_none_when_every_weight_is_zero():
    assert weighted_total({"team": 4}, [CriterionSpec("team", 0, 1, 10)]) is None


# --- each judge's scale ---------------------------------------------------------------------------

def test_judge_scales_use_the_sample_standard_deviation():
    points = [ReviewPoint(1, "a", 40.0), ReviewPoint(2, "a", 50.0), ReviewPoint(3, "a", 60.0),
              ReviewPoint(1, "b", 40.0), ReviewPoint(2, "b", 60.0), ReviewPoint(1, "c", 70.0)]
    scales = judge_scales(points)
    assert scales["a"] == (3, pytest.approx(50.0), pytest.approx(10.0))  # not 8.16 (population)
    assert scales["b"] == (2, pytest.approx(50.0), pytest.approx(math.sqrt(200)))
    assert scales["c"] == (1, pytest.approx(70.0), 0.0)


def test_judge_z_scores_are_signed_distances_from_the_judges_own_mean_in_their_sds():
    points = [ReviewPoint(1, "a", 40.0), ReviewPoint(2, "a", 60.0), ReviewPoint(1, "b", 90.0),
              ReviewPoint(2, "b", 50.0), ReviewPoint(3, "b", 70.0)]
    z = judge_z_scores(points)
    assert z == pytest.approx([-SQRT_HALF, SQRT_HALF, 1.0, -1.0, 0.0])


def test_judge_z_scores_are_zero_for_a_judge_who_gave_everyone_the_same_total():
    assert judge_z_scores([ReviewPoint(1, "a", 50.0), ReviewPoint(2, "a", 50.0)]) == [0.0, 0.0]


def test_judge_z_scores_are_zero_for_a_single_review():
    assert judge_z_scores([ReviewPoint(1, "a", 73.0)]) == [0.0]


def test_judge_z_scores_treat_a_judge_whose_totals_barely_move_as_constant():
    # a spread below 1e-12 of the totals' size is floating-point noise, not an opinion
    points = [ReviewPoint(1, "a", 1e6), ReviewPoint(2, "a", 1e6 + 1e-7)]
    assert judge_z_scores(points) == [0.0, 0.0]


def test_judge_z_scores_keep_a_real_spread_on_totals_near_one():
    # the tolerance is relative to max(1, |mean|): 1.4e-12 on totals near 1 is above it
    points = [ReviewPoint(1, "a", 1.0), ReviewPoint(2, "a", 1.0 + 2e-12)]
    assert judge_z_scores(points) == pytest.approx([-SQRT_HALF, SQRT_HALF], rel=1e-3)


# --- aggregates and the normalised score ------------------------------------------------------------

def test_aggregate_pins_the_normalised_score_to_pooled_mean_plus_z_times_pooled_sd():
    # judge a: 60 / 40, judge b: 90 / 70 -> each application's z-scores are +-sqrt(1/2);
    # pooled totals 60, 40, 90, 70: mean 65, sample sd sqrt(1300 / 3)
    points = [ReviewPoint(1, "a", 60.0), ReviewPoint(2, "a", 40.0), ReviewPoint(1, "b", 90.0),
              ReviewPoint(2, "b", 70.0)]
    first, second = aggregate(points)
    pooled_sd = math.sqrt(1300 / 3)
    assert first.application_id == 1
    assert first.count == 2
    assert first.mean == pytest.approx(75.0)
    assert first.spread == pytest.approx(30.0)
    assert first.stdev == pytest.approx(math.sqrt(450))  # sample sd of 60 and 90
    assert first.z_mean == pytest.approx(SQRT_HALF)
    assert first.normalised == pytest.approx(65 + SQRT_HALF * pooled_sd)
    assert (first.raw_rank, first.normalised_rank) == (1, 1)
    assert first.disagreement
    assert second.application_id == 2
    assert second.mean == pytest.approx(55.0)
    assert second.normalised == pytest.approx(65 - SQRT_HALF * pooled_sd)
    assert (second.raw_rank, second.normalised_rank) == (2, 2)


def test_aggregate_uses_the_sample_standard_deviation_of_three_reviews():
    points = [ReviewPoint(1, "a", 40.0), ReviewPoint(1, "b", 50.0), ReviewPoint(1, "c", 60.0)]
    (only,) = aggregate(points)
    assert only.stdev == pytest.approx(10.0)


def test_aggregate_of_one_review_has_no_spread_and_never_disagrees():
    (only,) = aggregate([ReviewPoint(7, "a", 80.0)], disagreement_spread=0)
    assert (only.count, only.mean, only.stdev, only.spread) == (1, 80.0, 0.0, 0.0)
    assert not only.disagreement


def test_aggregate_flags_disagreement_from_a_spread_of_exactly_the_threshold():
    points = [ReviewPoint(1, "a", 50.0), ReviewPoint(1, "b", 75.0), ReviewPoint(2, "a", 50.0),
              ReviewPoint(2, "b", 74.9)]
    flagged = {a.application_id: a.disagreement for a in aggregate(points)}
    assert flagged == {1: True, 2: False}


def test_aggregate_breaks_a_raw_tie_by_more_reviews_first():
    # both means 70, every z-score 0 (each judge reviewed one application)
    points = [ReviewPoint(1, "a", 60.0), ReviewPoint(1, "b", 80.0), ReviewPoint(2, "c", 70.0)]
    ranks = {a.application_id: (a.raw_rank, a.normalised_rank) for a in aggregate(points)}
    assert ranks == {1: (1, 1), 2: (2, 2)}


def test_aggregate_breaks_a_raw_tie_by_the_higher_normalised_score():
    # applications 1 and 2 both have one review of 70; judge a thought 70 poor (z < 0),
    # judge b thought it good (z > 0)
    points = [ReviewPoint(1, "a", 70.0), ReviewPoint(3, "a", 90.0), ReviewPoint(2, "b", 70.0),
              ReviewPoint(4, "b", 50.0)]
    raw = {a.application_id: a.raw_rank for a in aggregate(points)}
    assert raw[2] < raw[1]


def test_aggregate_breaks_a_normalised_tie_by_the_higher_raw_mean():
    # equal z-scores (+sqrt(1/2) each), one review each: the higher mean goes first
    points = [ReviewPoint(1, "a", 80.0), ReviewPoint(3, "a", 60.0), ReviewPoint(2, "b", 70.0),
              ReviewPoint(4, "b", 50.0)]
    ordered = [a.application_id for a in aggregate(points)]
    assert ordered.index(1) < ordered.index(2)


def test_aggregate_ranks_raw_means_apart_below_one_point():
    # 70.4 beats 70.2 on the raw rank even though the normalised scores say otherwise
    points = [ReviewPoint(1, "a", 70.4), ReviewPoint(3, "a", 90.0), ReviewPoint(2, "b", 70.2),
              ReviewPoint(4, "b", 50.0)]
    raw = {a.application_id: a.raw_rank for a in aggregate(points)}
    assert raw[1] < raw[2]


# --- finalists ------------------------------------------------------------------------------------

def _agg(app_id: int, z: float, *, count: int = 2, mean: float = 70.0, spread: float = 0.0
         ) -> Aggregate:
    return Aggregate(app_id, count, mean, spread, 0.0, z, 70.0 + z)


def test_select_finalists_orders_by_normalised_score_not_by_id():
    ranked = [_agg(1, 0.1), _agg(2, -0.5), _agg(3, 0.9)]
    assert select_finalists(ranked, 3) == [3, 1, 2]


def test_select_finalists_tells_apart_normalised_scores_within_one_point():
    assert select_finalists([_agg(1, 0.4, mean=60), _agg(2, 0.3, mean=80)], 1) == [1]


def test_select_finalists_breaks_a_normalised_tie_by_more_reviews():
    assert select_finalists([_agg(1, 0.5, count=2), _agg(2, 0.5, count=3)], 1) == [2]


def test_select_finalists_breaks_a_normalised_tie_by_the_higher_raw_mean():
    assert select_finalists([_agg(1, 0.5, mean=60), _agg(2, 0.5, mean=61)], 1) == [2]


def test_select_finalists_tells_apart_raw_means_within_one_point_before_the_spread():
    ranked = [_agg(1, 0.5, mean=70.4, spread=20), _agg(2, 0.5, mean=70.2, spread=0)]
    assert select_finalists(ranked, 1) == [1]


def test_select_finalists_treats_scores_equal_to_nine_digits_as_a_tie():
    ranked = [_agg(1, 0.5 + 1e-12, count=2), _agg(2, 0.5, count=3)]
    assert select_finalists(ranked, 1) == [2]


def test_select_finalists_adds_no_one_when_forced_in_fill_every_seat():
    ranked = [_agg(1, 0.9), _agg(2, 0.1), _agg(3, -0.2)]
    assert select_finalists(ranked, 1, forced_in=[2, 3]) == [2, 3]
    assert select_finalists(ranked, 0) == []


def test_select_finalists_puts_a_forced_in_application_without_a_rank_last():
    ranked = [_agg(1, 0.9), _agg(2, 0.1)]
    assert select_finalists(ranked, 2, forced_in=[99]) == [1, 99]


TRACKS = {1: "y", 2: "y", 3: "x", 4: "x", 5: "x", 9: "x", 8: "x"}


def test_select_finalists_counts_a_forced_in_application_against_its_tracks_quota():
    ranked = [_agg(1, 0.9), _agg(2, 0.8), _agg(3, 0.1), _agg(9, -1.0)]
    assert select_finalists(ranked, 2, track_of=TRACKS, quota={"x": 1}, forced_in=[9]) == [1, 9]


def test_select_finalists_counts_every_forced_in_application_of_a_track():
    ranked = [_agg(1, 0.9), _agg(2, 0.8), _agg(3, 0.1), _agg(8, -0.9), _agg(9, -1.0)]
    chosen = select_finalists(ranked, 3, track_of=TRACKS, quota={"x": 2}, forced_in=[8, 9])
    assert chosen == [1, 8, 9]


def test_select_finalists_fills_the_rest_of_a_quota_after_forced_in():
    ranked = [_agg(1, 0.9), _agg(2, 0.8), _agg(3, 0.1), _agg(9, -1.0)]
    assert select_finalists(ranked, 2, track_of=TRACKS, quota={"x": 2}, forced_in=[9]) == [3, 9]


def test_select_finalists_reserves_the_whole_quota_of_a_track():
    ranked = [_agg(1, 0.9), _agg(2, 0.8), _agg(3, 0.3), _agg(4, 0.2), _agg(5, 0.1)]
    assert select_finalists(ranked, 3, track_of=TRACKS, quota={"x": 2}) == [1, 3, 4]


def test_select_finalists_never_exceeds_the_count_through_quotas():
    ranked = [_agg(3, 0.9), _agg(1, 0.8)]
    assert select_finalists(ranked, 1, track_of=TRACKS, quota={"x": 1, "y": 1}) == [3]


def test_select_finalists_gives_every_seat_to_quotas_that_can_fill_them():
    ranked = [_agg(3, 0.9), _agg(4, 0.8), _agg(1, 0.3), _agg(2, 0.2)]
    assert select_finalists(ranked, 2, track_of=TRACKS, quota={"y": 2}) == [1, 2]


def test_select_finalists_never_chooses_a_quota_pick_twice():
    ranked = [_agg(3, 0.9), _agg(1, 0.8), _agg(2, 0.7)]
    assert select_finalists(ranked, 3, track_of=TRACKS, quota={"x": 1}) == [3, 1, 2]


# --- histogram ------------------------------------------------------------------------------------

def test_histogram_puts_each_value_in_its_bin_with_the_top_in_the_last():
    bins = histogram([0, 5, 10, 95, 100])
    assert len(bins) == 10
    assert bins[0] == (0.0, 10.0, 2)
    assert bins[1] == (10.0, 20.0, 1)
    assert bins[9] == (90.0, 100.0, 2)
    assert sum(count for *_, count in bins) == 5


def test_histogram_between_bounds_other_than_zero():
    bins = histogram([50, 61, 99.9, 100, 40], low=50, high=100, bins=5)
    assert bins == [(50.0, 60.0, 2), (60.0, 70.0, 1), (70.0, 80.0, 0), (80.0, 90.0, 0),
                    (90.0, 100.0, 2)]


def test_histogram_of_an_empty_range_puts_everything_in_the_first_bin():
    assert histogram([3, 3, 3], low=3, high=3, bins=3) == [(3.0, 3.0, 3), (3.0, 3.0, 0),
                                                           (3.0, 3.0, 0)]


def test_histogram_puts_a_value_on_a_bin_edge_in_the_bin_it_starts():
    # 0.3 / 0.1 is 2.999... and 0.5 // 0.1 is 4.0 in floating point: neither may misplace them
    bins = histogram([0.3, 0.5, 0.7], low=0, high=1, bins=10)
    assert [count for *_, count in bins] == [0, 0, 0, 1, 0, 1, 0, 1, 0, 0]
