"""Moving an event's dates to another year (or zone) without moving its wall clock.

A copied event keeps its sessions and phases at the same local times: a pitch day that began at
09:00 in Shanghai begins at 09:00 on the new day, whatever daylight saving did in between.
:func:`shift_local` reads an instant's wall-clock time in the source's zone, adds whole days to
its calendar date and reads that wall-clock time in the target's zone. A local time the clocks
skip there (the spring-forward hour) moves forward by the gap, 02:30 becoming 03:30, and the
answer says so; a local time that happens twice (the fall-back hour) means its first occurrence,
as the event form does (:func:`roadshow.events.phases.local_to_utc`).

Imports neither Flask nor SQLAlchemy: listed in ``tests/core/test_layers.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Shifted:
    """The shifted instant (aware, UTC) and whether its local time did not exist in the target
    zone and moved forward."""

    moment: datetime
    moved_forward: bool


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: attach a zone")
    return moment


def shift_local(moment: datetime, from_zone: str, to_zone: str, days: int) -> Shifted:
    """``moment`` moved ``days`` calendar days on, at the same wall-clock time: read in
    ``from_zone``, written in ``to_zone``."""
    local = _aware(moment).astimezone(ZoneInfo(from_zone)).replace(tzinfo=None) + timedelta(days=days)
    target = ZoneInfo(to_zone)
    first = local.replace(tzinfo=target, fold=0)
    as_utc = first.astimezone(UTC)
    # in a skipped hour fold=0 takes the offset before the change: the instant lands the gap's
    # length later on the wall clock, which is the "moved forward" time
    moved = as_utc.astimezone(target).replace(tzinfo=None) != local
    return Shifted(as_utc, moved)


def days_between(source_day: date, target_day: date) -> int:
    """Whole calendar days from the source's main day to the copy's."""
    return (target_day - source_day).days


def local_day(moment: datetime, zone: str) -> date:
    """The calendar day of an instant in ``zone``."""
    return _aware(moment).astimezone(ZoneInfo(zone)).date()


@dataclass(frozen=True)
class Shift:
    """How a copy moves its source's dates: ``days`` calendar days on, wall clock kept, from the
    source's zone to the target's. Receivers of ``events.signals.event_copied`` call it."""

    days: int
    from_zone: str
    to_zone: str

    def apply(self, moment: datetime) -> Shifted:
        return shift_local(moment, self.from_zone, self.to_zone, self.days)

    def __call__(self, moment: datetime) -> datetime:
        return self.apply(moment).moment
