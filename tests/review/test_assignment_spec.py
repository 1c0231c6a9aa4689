"""Assignment rules pinned to small hand-worked cases (issue 18): what existing assignments and
capacities count for, who is served first, what counts as an expertise match."""

from __future__ import annotations

from roadshow.review.assignment import ApplicationSpec, JudgeSpec, assign, load_spread


def test_existing_assignments_each_add_to_the_judges_load():
    # judge 1 already reviews two applications, judge 2 one: the new one goes to judge 2
    result = assign([ApplicationSpec(4)], [JudgeSpec(1), JudgeSpec(2)], 1,
                    existing=[(1, 1), (2, 1), (3, 2)])
    assert result.pairs == [(4, 2)]
    assert result.load == {1: 2, 2: 2}


def test_a_judge_at_capacity_through_existing_assignments_gets_no_more():
    result = assign([ApplicationSpec(3)], [JudgeSpec(1, capacity=2), JudgeSpec(2, capacity=5)], 1,
                    existing=[(1, 1), (2, 1), (9, 2), (8, 2), (7, 2)])
    assert result.pairs == [(3, 2)]


def test_the_most_constrained_application_is_served_first():
    # application 2 cannot go to judge 2; served first, it takes judge 1 and leaves judge 2 for 1
    result = assign([ApplicationSpec(1), ApplicationSpec(2)],
                    [JudgeSpec(1, capacity=1), JudgeSpec(2, capacity=1)], 1, conflicts=[(2, 2)])
    assert result.short == {}
    assert sorted(result.pairs) == [(1, 2), (2, 1)]


def test_an_expertise_match_needs_the_judge_to_cover_the_applications_track():
    result = assign([ApplicationSpec(1, track="bio")], [JudgeSpec(1, tracks=frozenset({"ai"}))], 1)
    assert result.pairs == [(1, 1)]
    assert result.expertise_matches == 0
    matched = assign([ApplicationSpec(1, track="ai")], [JudgeSpec(1, tracks=frozenset({"ai"}))], 1)
    assert matched.expertise_matches == 1


def test_load_spread_is_the_gap_between_the_busiest_and_the_idlest_judge():
    assert load_spread({1: 3, 2: 1, 3: 2}) == 2
    assert load_spread({1: 4}) == 0
    assert load_spread({}) == 0
