"""Where an event stands, as the organizer's home, the dashboard and the event header group it.

:func:`event_state` reads the phase state (:func:`roadshow.events.phases.phase_state`), whether
the event is published, when it was archived and which stages it runs, and answers one of
:data:`STATES`:

- ``archived``: archived (read-only), whatever its dates;
- ``draft``: not published;
- ``finished``: every phase is over, or no phase of a stage it runs is in force or to come
  (a symposium without signing is finished when its programme days are over);
- ``call_open``, ``in_review``, ``roadshow_days``, ``signing``: the phase in force; between two
  phases, or before the call opens, the event is in the state of the phase that comes next
  (a call still to open is shown with the open calls, its card says when it opens).

A phase of a switched-off stage does not count: the review phase of an event without review is
part of its way to the programme days, the signing phase of one without signing is its end.

Imports neither Flask nor SQLAlchemy: listed in ``tests/core/test_layers.py``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from roadshow.events.phases import PhaseState

#: the states, in the order the organizer's home shows them
STATES: tuple[str, ...] = ("draft", "call_open", "in_review", "roadshow_days", "signing", "finished",
                           "archived")

#: the states of events still under way (the dashboard shows them before finished ones)
ACTIVE_STATES = frozenset({"call_open", "in_review", "roadshow_days", "signing"})

#: the state an event is in during each phase
STATE_OF_PHASE = {"call": "call_open", "review": "in_review", "roadshow": "roadshow_days",
                  "signing": "signing"}

#: the stages that give a phase its meaning: the phase counts when the event runs any of them
STAGES_OF_PHASE: dict[str, frozenset[str]] = {
    "call": frozenset({"call"}),
    "review": frozenset({"review"}),
    "roadshow": frozenset({"schedule", "live"}),
    "signing": frozenset({"signing"}),
}

#: phases in order (as phases.PHASE_ORDER)
_ORDER = ("call", "review", "roadshow", "signing")


def _runs(phase: str | None, stages: Collection[str]) -> bool:
    return phase is not None and bool(STAGES_OF_PHASE.get(phase, frozenset()) & set(stages))


def event_state(phase_state: PhaseState, published: bool, archived_at: datetime | None,
                stages: Collection[str]) -> str:
    """The event's state (one of :data:`STATES`)."""
    if archived_at is not None:
        return "archived"
    if not published:
        return "draft"
    if phase_state.ended:
        return "finished"
    current, upcoming = phase_state.current, phase_state.upcoming
    if _runs(current, stages):
        return STATE_OF_PHASE[current]  # type: ignore[index]
    # between phases, before the first, or in a phase of a stage the event does not run: the
    # next phase it runs says where it is heading
    if current in _ORDER:
        start = _ORDER.index(current) + 1  # type: ignore[arg-type]
    elif upcoming in _ORDER:
        start = _ORDER.index(upcoming)  # type: ignore[arg-type]
    else:
        start = 0  # no dates at all: heading for its first stage
    for phase in _ORDER[start:]:
        if _runs(phase, stages):
            return STATE_OF_PHASE[phase]
    return "finished"


def is_finished(phase_state: PhaseState, stages: Collection[str]) -> bool:
    """Whether the event's work is over (its signing phase, or its last phase when it does not
    run signing): the moment it may be archived."""
    return event_state(phase_state, True, None, stages) == "finished"


def is_active(state: str) -> bool:
    return state in ACTIVE_STATES
