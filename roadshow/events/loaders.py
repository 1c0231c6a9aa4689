"""View helpers that load what a page is about, or answer 404.

``roadshow.events.scope`` loads the event (``/e/<slug>/...``), the organisation (``/o/<slug>/``)
or the alliance (``/a/<slug>/``) of the URL once, before access is checked, into ``g``; views
read them here."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, g

from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.organisations.models import Alliance, Organisation
from roadshow.scoping import get_in_event

T = TypeVar("T")


def this_event() -> Event:
    """The event of the URL (404 when the page has none)."""
    event = g.get("event")
    if event is None:
        abort(404)
    return event


def this_organisation() -> Organisation:
    """The organisation of the URL, or of the URL's event."""
    organisation = g.get("organisation")
    if organisation is None:
        abort(404)
    return organisation


def this_alliance() -> Alliance | None:
    return g.get("alliance")


def of_event_or_404(model: type[T], object_id: Any, event: Event | None = None) -> T:
    """The row ``object_id`` of ``model`` when it belongs to ``event`` (default: the URL's);
    404 otherwise, so rows of other events do not even reveal that they exist."""
    found = get_in_event(db.session, model, object_id, event or this_event()) if object_id else None
    if found is None:
        abort(404)
    return found
