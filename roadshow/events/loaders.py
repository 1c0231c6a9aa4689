"""View helpers that load the event a page is about, or answer 404."""

from __future__ import annotations

from flask import abort

from roadshow.events.models import Event
from roadshow.events.services import current_event
from roadshow.extensions import db


def current_event_or_404() -> Event:
    event = current_event(db.session)
    if event is None:
        abort(404)
    return event
