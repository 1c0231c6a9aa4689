"""The outcomes blueprint with every page: importing the view modules registers their routes on
``bp``, which the app registers (roadshow.BLUEPRINTS)."""

from __future__ import annotations

from roadshow.outcomes import board_views, project_views, task_views
from roadshow.outcomes.blueprint import bp

__all__ = ["board_views", "bp", "project_views", "task_views"]
