"""The schedule's blueprint and what its pages share: loading a session or a slot of the event
(404 for one of another event) and answering a calendar file. The pages live in modules named for
what they hold (programme_pages, availability_pages, editor_pages, feed_pages); views.py loads
them all and is what the app registers."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.scheduling.models import PitchSession, Slot

bp = Blueprint("scheduling", __name__, url_prefix="/schedule")

ICS = "text/calendar; charset=utf-8"


def session_or_404(session_id: int, event: Event) -> PitchSession:
    found = db.session.get(PitchSession, session_id)
    if found is None or found.event_id != event.id:
        abort(404)
    return found


def slot_or_404(slot_id: int, event: Event) -> Slot:
    found = db.session.get(Slot, slot_id)
    if found is None or found.session.event_id != event.id:
        abort(404)
    return found


def ics_response(data: bytes, filename: str, *, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype="text/calendar", headers={
        "Content-Type": ICS, "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "private, max-age=0, no-store"})
