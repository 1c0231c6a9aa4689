"""Schedule pages: the programme in everyone's zone, availability, attendance, the organizer's
editor, invites with progress, calendar downloads and feeds, RSVPs. Thin: load, check, call a
service, commit once. The blueprint lives in blueprint.py and the pages in modules named for what
they hold; importing them here registers their routes on ``bp``, which the app registers, and
connects the copying of a session layout to ``events.signals.event_copied``."""

from __future__ import annotations

from roadshow.scheduling import (
    availability_pages,
    copying,
    editor_pages,
    feed_pages,
    programme_pages,
)
from roadshow.scheduling.blueprint import bp

__all__ = ["bp", "availability_pages", "copying", "editor_pages", "feed_pages", "programme_pages"]
