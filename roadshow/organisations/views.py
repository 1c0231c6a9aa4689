"""The pages of offices, alliances and the platform administration (issue 13): the blueprint
``organisations``; WP1 fills it with the pages of docs/design/many-events.md §2."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("organisations", __name__)
