"""Pages of the demand catalogue; routes register on roadshow.demands.blueprint.bp."""

from __future__ import annotations

from roadshow.demands.blueprint import bp

__all__ = ["bp"]
