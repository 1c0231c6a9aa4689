"""What the demo steps share: the session, a seeded random source, progress, logins and the
demo's events, each in the state the steps bring it to."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from roadshow.db import utcnow

DEMO_PASSWORD = "Roadshow-demo-2026"  # noqa: S105 - printed on purpose: the demo's logins
SEED = 20200611

#: the states a demo event is brought to (each step does what suits the state)
FINISHED = "finished"  # last year's: reviewed, held, intents sealed, then archived
ROADSHOW = "roadshow"  # this year's: at its roadshow days, the first session live
REVIEW = "review"  # the call is over, the judges are scoring
CALL = "call"  # the call (or a symposium's registration) is open
ALL_STAGES = frozenset({"call", "review", "schedule", "live", "signing"})


@dataclass
class DemoEvent:
    """One event of the demo: the row, the state the steps bring it to, its stages, and the
    objects the steps hand each other for it (``organizer``, ``districts``, ``judges``,
    ``recruiters``, ``applicants``, ``applications``, ``finalists``, ``sessions``, and the
    counts a step reads: ``submitted``, ``drafts``, ``withdrawn``, ``finalist_count``,
    ``signed``)."""

    event: Any
    state: str
    stages: frozenset[str] = ALL_STAGES
    data: dict[str, Any] = field(default_factory=dict)
    #: how far before the load moment the event ran (last year's: 52 weeks)
    shift: timedelta = timedelta(0)
    #: the event's own random source, so one event's data do not move when another's change
    #: (None: the context's)
    rng: random.Random | None = None

    def has(self, stage: str) -> bool:
        return stage in self.stages


@dataclass
class DemoContext:
    session: Session
    today: date  # in the event's zone
    #: the moment the demo is loaded (aware UTC): its dates are built from it
    now: datetime = field(default_factory=utcnow)
    progress: Callable[[str, int, int], None] = lambda _label, _done, _total: None
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    #: objects steps hand to later steps: "events" (a list of DemoEvent), and for this year's
    #: event, as before there were several: "event", "districts", "judges", ...
    data: dict[str, Any] = field(default_factory=dict)

    def login(self, role: str, email: str) -> None:
        self.logins.append((role, email, DEMO_PASSWORD))

    def events(self, *states: str, stage: str | None = None) -> list[DemoEvent]:
        """The demo's events in one of ``states`` (every state when none is named) that run
        ``stage``. A context built by hand with only this year's objects in ``data`` (a domain's
        test of its own step) counts as one event at its roadshow."""
        events = self.data.get("events")
        if events is None:
            events = [DemoEvent(event=self.data.get("event"), state=ROADSHOW, data=self.data)]
        chosen = [e for e in events if (not states or e.state in states)
                  and (stage is None or e.has(stage))]
        for demo_event in chosen:
            if demo_event.rng is None:
                demo_event.rng = self.rng
        return chosen


def recruiters_with_districts(data: dict[str, Any]) -> list[tuple[Any, Any]]:
    """``(recruiter, district)`` for the recruiters in an event's ``data``: the district each
    recruits for in that event (``recruiter_districts``: recruiter id -> district), else, in a
    context built by hand, the district their account was made with."""
    districts = data.get("recruiter_districts")
    pairs = []
    for recruiter in data.get("recruiters", []):
        district = (districts.get(recruiter.id) if districts is not None
                    else getattr(recruiter, "district", None))
        if district is not None:
            pairs.append((recruiter, district))
    return pairs
