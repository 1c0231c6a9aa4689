"""The reports' counts on the outcomes board (issue 15): the board, an earlier layer, shows each
event's applications and finalists and each track's beside its intents and landed projects;
the reports install their own queries for it (``outcomes.board.REPORTED``) so that they are
counted one way everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from roadshow.events.models import Event
from roadshow.outcomes import board
from roadshow.reports.figures import event_year, track_figures
from roadshow.reports.funnel import funnel_by_event


def counts(session: Session, events: Sequence[Event], now: datetime) -> board.Reported:
    ids = [event.id for event in events]
    funnels = funnel_by_event(session, ids, now)
    return board.Reported(
        years={event.id: event_year(event) for event in events},
        events={event_id: (f.submitted, f.finalists) for event_id, f in funnels.items()},
        tracks={t.code: (t.name_zh, t.name_en, t.applications, t.finalists)
                for t in (track_figures(session, ids) if ids else [])})


def install() -> None:
    """Idempotent."""
    if counts not in board.REPORTED:
        board.REPORTED.append(counts)
