"""The server keeps long-lived objects out of full garbage collections, and still reclaims
cycles that die after being frozen once the frozen population has grown by half."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from roadshow.live_gc import FreezePolicy, Step, apply, run_forever


@pytest.fixture
def clean_collector() -> Iterator[None]:
    """Each test starts and ends with nothing frozen."""
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.collect()


class Cycle:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_a_small_population_is_reclaimed_whenever_it_is_counted() -> None:
    policy = FreezePolicy(small=1000, count_every=1)

    assert policy.should_count()
    assert policy.decide(10) is Step.RECLAIM


def test_a_large_population_is_only_frozen_until_it_grows_by_half() -> None:
    policy = FreezePolicy(small=1000, growth=1.5, baseline=100_000)

    assert policy.decide(120_000) is Step.FREEZE
    assert policy.decide(150_000) is Step.FREEZE
    assert policy.decide(150_001) is Step.RECLAIM


def test_the_population_is_counted_on_the_first_step_and_then_every_nth() -> None:
    policy = FreezePolicy(count_every=3)

    counted = [policy.should_count() for _ in range(7)]

    assert counted == [True, False, False, True, False, False, True]


def test_a_step_that_is_not_counted_only_freezes() -> None:
    policy = FreezePolicy(small=10**9)

    assert policy.decide(None) is Step.FREEZE


def test_freezing_moves_surviving_objects_out_of_the_collectors_sight(clean_collector: None) -> None:
    policy = FreezePolicy(count_every=1000, steps=1)  # a step that does not count: it freezes
    survivors = [[n] for n in range(10_000)]

    step, _seconds = apply(policy)

    assert step is Step.FREEZE
    assert gc.get_freeze_count() >= len(survivors)
    in_sight = {id(o) for generation in range(3) for o in gc.get_objects(generation=generation)}
    assert not any(id(s) in in_sight for s in survivors)


def test_a_cycle_that_dies_after_being_frozen_is_freed_by_the_next_reclaim(clean_collector: None) -> None:
    policy = FreezePolicy(small=0, baseline=10**9, count_every=1)
    cycle = Cycle()
    alive = weakref.ref(cycle)
    apply(policy)  # frozen while alive
    del cycle
    gc.collect()
    assert alive() is not None, "a frozen cycle is out of the collector's reach"

    policy.baseline = 0  # the population has grown: the next counted step reclaims
    step, _seconds = apply(policy)

    assert step is Step.RECLAIM
    assert alive() is None
    assert policy.baseline == gc.get_freeze_count() > 0


def test_the_background_task_keeps_going_after_a_failed_step(monkeypatch: pytest.MonkeyPatch,
                                                              clean_collector: None) -> None:
    calls: list[str] = []

    def failing_apply(_policy: FreezePolicy) -> tuple[Step, float]:
        calls.append("step")
        if len(calls) == 1:
            raise RuntimeError("boom")
        return Step.FREEZE, 0.0

    class StopLoopError(Exception):
        pass

    def sleep(_seconds: float) -> None:
        if len(calls) == 3:
            raise StopLoopError

    monkeypatch.setattr("roadshow.live_gc.apply", failing_apply)

    with pytest.raises(StopLoopError):
        run_forever(sleep, interval=0)

    assert calls == ["step", "step", "step"]
