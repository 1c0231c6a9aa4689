"""The kinds of event and the stages each runs by default (issue 13, pure).

A roadshow runs the whole funnel: a call for projects, review and district docking, a schedule of
pitch sessions, live rooms and the signing of intents. A symposium is a registration, a
programme and its live rooms; a promotion event a registration and a programme. The event form
shows the stage switches with these defaults; an organizer may change them per event.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    ROADSHOW = "roadshow"
    SYMPOSIUM = "symposium"
    PROMOTION = "promotion"


#: the stages an event may switch on or off, in the funnel's order
STAGES: tuple[str, ...] = ("call", "review", "schedule", "live", "signing")

DEFAULT_STAGES: dict[str, frozenset[str]] = {
    EventKind.ROADSHOW.value: frozenset(STAGES),
    EventKind.SYMPOSIUM.value: frozenset({"call", "schedule", "live"}),
    EventKind.PROMOTION.value: frozenset({"call", "schedule"}),
}


def default_stages(kind: str) -> dict[str, bool]:
    """``{stage: on}`` for every stage, as a new event of ``kind`` starts."""
    on = DEFAULT_STAGES[EventKind(kind).value]
    return {stage: stage in on for stage in STAGES}


def stage_column(stage: str) -> str:
    """The column of :class:`~roadshow.events.models.Event` that switches ``stage``."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    return f"stage_{stage}"
