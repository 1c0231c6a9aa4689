"""Old links before events had their own URLs (issue 13): the blueprint ``legacy`` answers the
paths of one-event Roadshow with a redirect under ``/e/<slug>`` (docs/design/many-events.md §2)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("legacy", __name__)
