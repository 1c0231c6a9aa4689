"""Review pages for organizers, judges and district recruiters. Thin: load, check, call a
service, commit once. The blueprint lives in blueprint.py and the pages in modules named for what
they hold; importing them here registers their routes on ``bp``, which the app registers."""

from __future__ import annotations

from roadshow.review import docking_views, judge_views, organizer_views, selection_views
from roadshow.review.blueprint import bp

__all__ = ["bp", "docking_views", "judge_views", "organizer_views", "selection_views"]
