"""Reports across events (issue 13): the blueprint ``reports``, which serves an office's home and
its reports and an alliance's reports (docs/design/many-events.md §4)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
