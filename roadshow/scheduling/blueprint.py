"""The schedule's blueprint and what its pages share: loading a session or a slot of the event
(404 for one of another event) and answering a calendar file. The pages live in modules named for
what they hold (programme_pages, availability_pages, editor_pages, feed_pages); views.py loads
them all and is what the app registers."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g

from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.scheduling.models import PitchSession, Slot
from roadshow.scoping import get_in_event

#: no prefix: the event's pages live under /e/<slug>/schedule/, the personal calendar feed
#: (every event of its owner) under /schedule/feed
bp = Blueprint("scheduling", __name__)

ICS = "text/calendar; charset=utf-8"


def this_event() -> Event:
    """The event of the page (loaded once from the URL by roadshow.events.scope)."""
    event: Event = g.event
    return event


def session_or_404(session_id: int, event: Event) -> PitchSession:
    """A session of ``event``; 404 for a missing one and for one of another event alike."""
    found = get_in_event(db.session, PitchSession, session_id, event)
    if found is None:
        abort(404)
    return found


def slot_or_404(slot_id: int, event: Event) -> Slot:
    found = get_in_event(db.session, Slot, slot_id, event)
    if found is None:
        abort(404)
    return found


def ics_response(data: bytes, filename: str, *, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype="text/calendar", headers={
        "Content-Type": ICS, "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "private, max-age=0, no-store"})
