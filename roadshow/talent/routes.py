"""The talent blueprint with every page of the pool: importing the view modules registers their
routes on ``bp``, which the app registers (roadshow.BLUEPRINTS)."""

from __future__ import annotations

from roadshow.talent.blueprint import bp
from roadshow.talent.views import (
    erasure,
    exports,
    imports,
    industries,
    invitations,
    join,
    mine,
    people,
    people_list,
    sharing,
    station_events,
    stations,
)

__all__ = ["bp", "erasure", "exports", "imports", "industries", "invitations", "join", "mine",
           "people", "people_list", "sharing", "station_events", "stations"]
