"""View helpers that load the event a page is about, or answer 404."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort

from roadshow.events.models import Event
from roadshow.events.services import current_event
from roadshow.extensions import db

T = TypeVar("T")


def current_event_or_404() -> Event:
    event = current_event(db.session)
    if event is None:
        abort(404)
    return event


def of_event_or_404(model: type[T], object_id: Any, event: Event) -> T:
    """The row ``object_id`` of ``model`` when it belongs to ``event``; 404 otherwise, so rows
    of other events do not even reveal that they exist."""
    found = db.session.get(model, object_id) if object_id else None
    if found is None or found.event_id != event.id:  # type: ignore[attr-defined]
        abort(404)
    return found
