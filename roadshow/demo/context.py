"""What the demo steps share: the session, a seeded random source, progress and logins."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from roadshow.db import utcnow

DEMO_PASSWORD = "Roadshow-demo-2026"  # noqa: S105 - printed on purpose: the demo's logins
SEED = 20200611


@dataclass
class DemoContext:
    session: Session
    today: date  # in the event's zone
    #: the moment the demo is loaded (aware UTC): its dates are built from it
    now: datetime = field(default_factory=utcnow)
    progress: Callable[[str, int, int], None] = lambda _label, _done, _total: None
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    #: objects steps hand to later steps ("event", "districts", "judges", ...)
    data: dict[str, Any] = field(default_factory=dict)

    def login(self, role: str, email: str) -> None:
        self.logins.append((role, email, DEMO_PASSWORD))
