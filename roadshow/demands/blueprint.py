"""The demands blueprint (issue 15): the view modules register their routes on ``bp``
(roadshow.demands.routes imports them all)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("demands", __name__)
