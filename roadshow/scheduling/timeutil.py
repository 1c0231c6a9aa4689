"""Local days and hours <-> UTC intervals: availability windows and session times. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_FROM = time(7, 0)
DEFAULT_UNTIL = time(23, 0)


class LocalTimeError(ValueError):
    """A local time that does not exist (skipped by a DST change) or an empty interval."""


class SameTimesError(LocalTimeError):
    """A window whose end equals its start."""


def to_utc(day: date, at: time, zone: str) -> datetime:
    """A wall-clock time in ``zone`` as aware UTC; refuses times a DST change skips."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at, tz)
    back = local.astimezone(UTC).astimezone(tz)
    if (back.hour, back.minute) != (at.hour, at.minute):
        raise LocalTimeError(f"{day} {at:%H:%M} does not exist in {zone}")
    return local.astimezone(UTC)


def interval(day: date, start: time, end: time, zone: str) -> tuple[datetime, datetime]:
    """A local interval; an end at or before the start runs past midnight into the next day."""
    a = to_utc(day, start, zone)
    end_day = day if end > start else day + timedelta(days=1)
    b = to_utc(end_day, end, zone)
    if b <= a:
        raise LocalTimeError("the interval is empty")
    return a, b


def window(day: date, start: time, end: time, zone: str) -> tuple[datetime, datetime]:
    """An availability window someone typed: like ``interval`` (an earlier end runs past
    midnight), but an end equal to the start is refused. It is almost always a slip, and
    reading it as a whole day would silently widen the person's availability."""
    check_window(start, end)
    return interval(day, start, end, zone)


def check_window(start: time, end: time) -> None:
    """Refuse a typed window that ends at the time it starts; an earlier end is fine."""
    if start == end:
        raise SameTimesError(f"the window starts and ends at {start:%H:%M}")


def local_days(start: datetime, end: datetime, zone: str) -> list[date]:
    """Every calendar day in ``zone`` touched by [start, end)."""
    tz = ZoneInfo(zone)
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    days = []
    day = first
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return days


def default_windows(start: datetime, end: datetime, zone: str) -> list[tuple[datetime, datetime]]:
    """07:00-23:00 local on every local day that overlaps the roadshow."""
    windows = []
    for day in local_days(start, end, zone):
        windows.append(interval(day, DEFAULT_FROM, DEFAULT_UNTIL, zone))
    return merge(windows)


def merge(windows: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted, with overlapping or touching intervals joined."""
    out: list[tuple[datetime, datetime]] = []
    for a, b in sorted(windows):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def serialise(windows: Sequence[tuple[datetime, datetime]]) -> list[list[str]]:
    return [[a.astimezone(UTC).isoformat(), b.astimezone(UTC).isoformat()] for a, b in windows]


def deserialise(rows: Iterable[Sequence[str]]) -> list[tuple[datetime, datetime]]:
    return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in rows]


def local_rows(windows: Sequence[tuple[datetime, datetime]], zone: str) -> list[tuple[date, time, time]]:
    """Windows as (local day, from, until) rows for a form in ``zone``."""
    tz = ZoneInfo(zone)
    rows = []
    for a, b in windows:
        la, lb = a.astimezone(tz), b.astimezone(tz)
        rows.append((la.date(), la.time().replace(second=0, microsecond=0),
                     lb.time().replace(second=0, microsecond=0)))
    return rows


def slot_times(start: datetime, end: datetime, minutes: int,
               breaks: Sequence[tuple[datetime, datetime]] = ()) -> list[tuple[datetime, datetime]]:
    """Consecutive slots of ``minutes`` from start to end, skipping the breaks."""
    if minutes <= 0:
        raise LocalTimeError("slot length must be positive")
    out = []
    t = start
    step = timedelta(minutes=minutes)
    while t + step <= end:
        clash = next((b for b in breaks if b[0] < t + step and t < b[1]), None)
        if clash:
            t = max(t, clash[1])
            continue
        out.append((t, t + step))
        t += step
    return out
