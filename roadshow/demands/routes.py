"""The demands blueprint with every page: importing the view modules registers their routes on
``bp``, which the app registers (roadshow.BLUEPRINTS)."""

from __future__ import annotations

from roadshow.demands import (
    catalogue_views,
    chain_views,
    match_views,
    project_views,
    public_views,
    resource_views,
)
from roadshow.demands.blueprint import bp

__all__ = ["bp", "catalogue_views", "chain_views", "match_views", "project_views",
           "public_views", "resource_views"]
