"""What a person must do in each of their events: the dashboard's cards (issue 13, §4).

Every domain that has work to hand out has a ``todos.py`` with

    def todos(session, user, grants: dict[int, Grant]) -> dict[int, list[Todo]]

answering, for the events in ``grants`` (event id -> the user's grant there), what the user has
to do in each: one or two GROUP BY queries over all of them, never one query per event. The
dashboard (``roadshow.core.views.TODO_MODULES``) calls each module and shows, per event, the
to-dos with a count first. A domain's function returns only events where it has something to
say; an event missing from the answer simply has nothing of that domain.

Pure: imports neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Todo:
    """One thing to do in one event.

    - ``kind``: a stable key (``"reviews_open"``, ``"intents_to_sign"``, ``"application_path"``)
      that tests and the card's styling read;
    - ``count``: how many (0 for a line that informs: "Finalist: pitch at 14:00");
    - ``label``: the translated sentence, already formatted for the reader (counts, times in
      their zone);
    - ``endpoint``: the page where it is done; the card links to
      ``url_for(endpoint, event_slug=<the card's event>, **url_values)`` when the endpoint
      expects an event slug, else ``url_for(endpoint, **url_values)``;
    - ``due_at``: an aware UTC datetime by which it must be done (the card shows it in the
      reader's zone), or ``None``;
    - ``url_values``: further values for ``url_for`` (an application's id, a filter);
    - ``rsvp_uid``: the calendar entry the person can answer right on the card (accept or
      decline a pitch time), or ``None``.
    """

    kind: str
    count: int
    label: str
    endpoint: str
    due_at: datetime | None = None
    url_values: Mapping[str, Any] = field(default_factory=dict)
    rsvp_uid: str | None = None

    @property
    def pending(self) -> bool:
        """Something is waiting to be done (a count above zero)."""
        return self.count > 0


def merge(answers: list[dict[int, list[Todo]]]) -> dict[int, list[Todo]]:
    """The to-dos of several domains per event, in the order the domains answered."""
    merged: dict[int, list[Todo]] = {}
    for answer in answers:
        for event_id, items in answer.items():
            merged.setdefault(event_id, []).extend(items)
    return merged


def pending_first(items: list[Todo]) -> list[Todo]:
    """Items with a count first (soonest due first, undated last), then the informing lines,
    each group keeping its order otherwise."""
    def key(item: Todo) -> tuple[int, int, float]:
        due = item.due_at.timestamp() if item.due_at is not None else float("inf")
        return (0 if item.pending else 1, 0 if item.due_at is not None else 1, due)
    return sorted(items, key=key)
