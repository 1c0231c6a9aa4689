"""Which phase an event is in, and whether its call is open: pure time arithmetic.

Phases have windows ``[starts_at, ends_at)`` stored in UTC. Organizers enter the dates as wall
clock times in the event's own IANA zone; :func:`local_to_utc` turns them into instants and
refuses wall times that do not exist (the hour skipped when daylight saving starts). A wall
time that happens twice (the hour repeated when it ends) means its first occurrence.

Imports neither Flask nor SQLAlchemy: listed in ``tests/core/test_layers.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: the phases of an event, in order (the values of ``PhaseKind``)
PHASE_ORDER: tuple[str, ...] = ("call", "review", "roadshow", "signing")

#: a countdown to the close is shown this long before it
COUNTDOWN_WINDOW = timedelta(days=7)


class NonexistentLocalTimeError(ValueError):
    """A wall-clock time skipped in that zone (the spring-forward gap of daylight saving)."""

    def __init__(self, local: datetime, zone: str) -> None:
        super().__init__(f"{local:%Y-%m-%d %H:%M} does not exist in {zone}")
        self.local = local
        self.zone = zone


@dataclass(frozen=True)
class PhaseWindow:
    kind: str
    starts_at: datetime
    ends_at: datetime

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


@dataclass(frozen=True)
class PhaseState:
    """Where an event stands at one moment."""

    #: the phase in force (by hand or by date), or None before the first / between phases
    current: str | None
    #: the next phase to start by date, and when
    upcoming: str | None
    upcoming_starts_at: datetime | None
    #: whether the organizer's hand set ``current``
    by_hand: bool
    #: all phases are over
    ended: bool


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: attach a zone")
    return moment.astimezone(UTC)


def ordered(windows: Iterable[PhaseWindow]) -> list[PhaseWindow]:
    rank = {kind: i for i, kind in enumerate(PHASE_ORDER)}
    return sorted(windows, key=lambda w: (rank.get(w.kind, len(rank)), w.starts_at))


def phase_state(windows: Sequence[PhaseWindow], now: datetime,
                override: str | None = None) -> PhaseState:
    """The phase in force at ``now``: the organizer's override if set, else by dates."""
    now = _aware(now)
    windows = ordered(windows)
    by_date = next((w.kind for w in windows if w.contains(now)), None)
    future = sorted((w for w in windows if w.starts_at > now), key=lambda w: w.starts_at)
    upcoming = future[0] if future else None
    ended = bool(windows) and all(w.ends_at <= now for w in windows)
    if override:
        later = [k for k in PHASE_ORDER if PHASE_ORDER.index(k) > PHASE_ORDER.index(override)] \
            if override in PHASE_ORDER else []
        nxt = next((w for w in future if w.kind in later), None)
        return PhaseState(override, nxt.kind if nxt else None, nxt.starts_at if nxt else None,
                          by_hand=True, ended=False)
    return PhaseState(by_date, upcoming.kind if upcoming else None,
                      upcoming.starts_at if upcoming else None, by_hand=False, ended=ended)


def current_phase(windows: Sequence[PhaseWindow], now: datetime,
                  override: str | None = None) -> str | None:
    return phase_state(windows, now, override).current


def call_window(windows: Iterable[PhaseWindow]) -> PhaseWindow | None:
    return next((w for w in windows if w.kind == "call"), None)


def call_is_open(windows: Sequence[PhaseWindow], now: datetime, override: str | None = None,
                 closed_by_hand: bool = False) -> bool:
    """Whether applications may be submitted or edited at ``now``.

    Closed by the organizer's hand wins; an override to another phase closes the call; an
    override to the call opens it whatever its dates (the organizers reopened it by hand).
    """
    if closed_by_hand:
        return False
    now = _aware(now)
    if override:
        return override == "call"
    window = call_window(windows)
    return window is not None and window.contains(now)


def call_closes_at(windows: Iterable[PhaseWindow]) -> datetime | None:
    window = call_window(windows)
    return window.ends_at if window else None


def countdown_due(deadline: datetime | None, now: datetime,
                  within: timedelta = COUNTDOWN_WINDOW) -> bool:
    """Show a countdown when the deadline is ahead and nearer than ``within``."""
    if deadline is None:
        return False
    now = _aware(now)
    return timedelta(0) < deadline - now <= within


def local_to_utc(local: datetime, zone: str) -> datetime:
    """A wall-clock time in ``zone`` (naive) as an aware UTC instant; DST-safe.

    Raises :class:`NonexistentLocalTimeError` for a time skipped by a spring-forward change;
    a repeated (fall-back) time means its first occurrence.
    """
    if local.tzinfo is not None:
        raise ValueError("expected a naive wall-clock time")
    tz = ZoneInfo(zone)
    first = local.replace(tzinfo=tz, fold=0)
    as_utc = first.astimezone(UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) != local:
        raise NonexistentLocalTimeError(local, zone)
    return as_utc


def day_bounds_utc(day: date, zone: str) -> tuple[datetime, datetime]:
    """The instants a calendar day in ``zone`` begins and ends (23 or 25 hours on DST days)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    return start, end


def utc_to_local(moment: datetime, zone: str) -> datetime:
    """An instant as a naive wall-clock time in ``zone`` (to fill a form)."""
    return _aware(moment).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def window_problems(windows: Sequence[PhaseWindow]) -> list[tuple[str, str]]:
    """What is wrong with a set of phases: ``(kind, problem)`` with problem one of
    ``"ends_before_start"`` (a window ends at or before it starts) and ``"overlaps_previous"``
    (it starts before the previous phase in order ends)."""
    problems = []
    previous: PhaseWindow | None = None
    for window in ordered(windows):
        if window.ends_at <= window.starts_at:
            problems.append((window.kind, "ends_before_start"))
        if previous is not None and window.starts_at < previous.ends_at:
            problems.append((window.kind, "overlaps_previous"))
        previous = window
    return problems
