"""Keep Python's garbage collector from stalling a full live room.

A server holding 2000 live websockets keeps about half a million container objects alive (per
connection: its greenlets, Engine.IO socket, queue, websocket and parser state). CPython's
full (generation 2) collection walks every one of them, and in a 2000-viewer room it ran every
10 to 15 seconds and held the event loop for 250 to 310 ms each time: every broadcast in flight
was late by that much, which was the whole of the room's p99 delivery latency.

Objects that have lived through a few seconds are nearly all long-lived here, so ``roadshow
serve`` moves them out of the collector's sight with ``gc.freeze()`` every few seconds (a
constant-time list splice). Full collections then walk only what is younger, which takes a few
milliseconds. What is frozen is never collected, so reference cycles that die after being
frozen (a closed connection's, mostly) would stay; when the frozen population has grown by half
since the last reclaim, one full collection over everything reclaims them and the population
is frozen again. That one pause happens while a room fills (its population grows) or after
much churn, not at a steady audience.

:class:`FreezePolicy` is the decision (pure); :func:`run_forever` applies it to ``gc``.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

log = logging.getLogger("roadshow.live_gc")

FREEZE_SECONDS = 5.0
#: how often the frozen population is counted (counting walks it: ~20 ms for half a million)
COUNT_EVERY = 12
#: reclaim when the frozen population exceeds the one after the last reclaim by this factor
RECLAIM_GROWTH = 1.5
#: below this many frozen objects a full collection is cheap: reclaim without waiting to grow
SMALL_POPULATION = 50_000


class Step(Enum):
    FREEZE = "freeze"
    RECLAIM = "reclaim"


@dataclass
class FreezePolicy:
    growth: float = RECLAIM_GROWTH
    small: int = SMALL_POPULATION
    count_every: int = COUNT_EVERY
    baseline: int = 0  # the frozen population right after the last reclaim
    steps: int = 0

    def should_count(self) -> bool:
        """Whether this step counts the frozen population (the first step and every n-th)."""
        self.steps += 1
        return self.steps % self.count_every == 1 or self.count_every == 1

    def decide(self, frozen: int | None) -> Step:
        """What to do, given how many objects are frozen now (None: not counted this step)."""
        if frozen is not None and (frozen <= self.small or frozen > self.baseline * self.growth):
            return Step.RECLAIM
        return Step.FREEZE

    def reclaimed(self, frozen_after: int) -> None:
        self.baseline = frozen_after


def apply(policy: FreezePolicy) -> tuple[Step, float]:
    """One step on the real collector; returns what was done and how long it took (s)."""
    started = time.perf_counter()
    step = policy.decide(gc.get_freeze_count() if policy.should_count() else None)
    if step is Step.RECLAIM:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        policy.reclaimed(gc.get_freeze_count())
    else:
        gc.collect(1)  # the young generations first, so their fresh garbage is not frozen
        gc.freeze()
    return step, time.perf_counter() - started


def run_forever(sleep: Callable[[float], object], interval: float = FREEZE_SECONDS) -> None:
    """The server's background task (``sleep`` is the async mode's cooperative sleep)."""
    policy = FreezePolicy()
    while True:
        sleep(interval)
        try:
            step, seconds = apply(policy)
        except Exception:  # noqa: BLE001 - a failed step must not end the task
            log.exception("garbage collector step failed")
            continue
        if step is Step.RECLAIM:
            log.info("full garbage collection: %.0f ms, %d objects frozen", seconds * 1000,
                     policy.baseline)
