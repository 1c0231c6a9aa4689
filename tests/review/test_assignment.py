"""Balanced assignment, by properties: conflicts are never assigned, every application gets its
judges when it can, and without constraints the loads differ by at most one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from roadshow.review.assignment import ApplicationSpec, JudgeSpec, assign, load_spread


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 120), st.integers(1, 25), st.integers(1, 5))
def test_load_differs_by_at_most_one_without_constraints(n_apps, n_judges, k):
    k = min(k, n_judges)
    result = assign([ApplicationSpec(i) for i in range(n_apps)], [JudgeSpec(j) for j in range(n_judges)], k)
    assert load_spread(result.load) <= 1
    assert not result.short
    assert len(result.pairs) == n_apps * k


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_conflicts_are_never_assigned_and_no_judge_twice(data):
    n_apps = data.draw(st.integers(1, 60))
    n_judges = data.draw(st.integers(1, 12))
    k = data.draw(st.integers(1, 4))
    conflicts = data.draw(st.sets(st.tuples(st.integers(0, n_judges - 1), st.integers(0, n_apps - 1)),
                                  max_size=n_apps * n_judges // 2))
    tracks = ["ict", "bio", None]
    apps = [ApplicationSpec(i, data.draw(st.sampled_from(tracks))) for i in range(n_apps)]
    judges = [JudgeSpec(j, frozenset(data.draw(st.sets(st.sampled_from(["ict", "bio"]))))) for j in range(n_judges)]
    result = assign(apps, judges, k, conflicts=conflicts)
    assert not {(j, a) for a, j in result.pairs} & conflicts
    assert len(set(result.pairs)) == len(result.pairs)
    for app in apps:
        eligible = n_judges - sum(1 for j, a in conflicts if a == app.application_id)
        got = sum(1 for a, _j in result.pairs if a == app.application_id)
        assert got == min(k, eligible)
        assert result.short.get(app.application_id, 0) == k - got


def test_judges_of_the_applications_track_are_preferred():
    judges = [JudgeSpec(1, frozenset({"bio"})), JudgeSpec(2, frozenset({"ict"})),
              JudgeSpec(3, frozenset({"ict"})), JudgeSpec(4, frozenset({"bio"}))]
    result = assign([ApplicationSpec(10, "ict"), ApplicationSpec(11, "bio")], judges, 2)
    assert sorted(j for a, j in result.pairs if a == 10) == [2, 3]
    assert sorted(j for a, j in result.pairs if a == 11) == [1, 4]
    assert result.expertise_matches == 4


def test_existing_assignments_count_and_are_not_repeated():
    result = assign([ApplicationSpec(1), ApplicationSpec(2)], [JudgeSpec(1), JudgeSpec(2), JudgeSpec(3)], 2,
                    existing=[(1, 1), (1, 2)])
    assert (1, 1) not in result.pairs
    assert all(a == 2 for a, _j in result.pairs)
    assert sorted(j for _a, j in result.pairs) == [1, 3] or sorted(j for _a, j in result.pairs) == [2, 3]


def test_capacity_is_respected_and_the_shortfall_reported():
    result = assign([ApplicationSpec(i) for i in range(4)], [JudgeSpec(1, capacity=2), JudgeSpec(2, capacity=2)], 2)
    assert result.load == {1: 2, 2: 2}
    assert sum(result.short.values()) == 4
