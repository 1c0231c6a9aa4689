"""What a person of the pool did in the office's events, for their page: providers that later
layers register at import time (applications lists their applications, signing their intents;
talent imports neither).

A provider takes ``(session, user_id, organisation_id)`` and returns :class:`Row` s, in one
query, for the person's account and the events of that office.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Row:
    kind: str          # what it is, translated ("Application", "Intent of cooperation")
    title: str         # the event's (and the project's) title in the reader's language
    status: str        # translated
    url: str | None    # the page for the office's organizers, if any
    when: datetime | None = None
    done: bool = False  # sealed, selected: shown as an outcome


Provider = Callable[[Any, int, int], list[Row]]

_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> Provider:
    """Register ``provider`` under ``name`` (again: replaces it)."""
    _providers[name] = provider
    return provider


def rows_for(session: Any, user_id: int | None, organisation_id: int) -> list[Row]:
    """Every provider's rows for the account ``user_id`` in ``organisation_id``'s events."""
    if user_id is None:
        return []
    found: list[Row] = []
    for provider in list(_providers.values()):
        found.extend(provider(session, user_id, organisation_id))
    return found
