"""VTIMEZONE components built from the zone database (zoneinfo). Pure.

Each change of offset (or of zone abbreviation) in the years covered is its own STANDARD or
DAYLIGHT sub-component with one onset: its DTSTART, repeated as the only RDATE, and no RRULE. DTSTART is the moment of
the change written in the local time it is changed *from* (RFC 5545 3.6.5: "the local time
in TZOFFSETFROM"), so New York's 2025 spring change, at 07:00 UTC, reads
``DTSTART:20250309T020000`` with ``TZOFFSETFROM:-0500``.

Why not icalendar's ``Timezone.from_tzid``: it writes each DAYLIGHT start in the time after the
change (``20250309T030000``, one hour late for libical and vobject), and lists the later years
as an RDATE list beside one DTSTART, which ical.js (Thunderbird) does not expand, so summer
times in some years came out an hour off there. One sub-component per change is read the same
by every parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

#: how far apart the zone is sampled when looking for changes; no zone changes twice in 6 hours
STEP = timedelta(hours=6)


@dataclass(frozen=True)
class Transition:
    """A change of a zone's offset or abbreviation at ``at`` (UTC)."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def local_start(self) -> datetime:
        """The moment of the change in the local time it changes from (naive)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _state(tz: ZoneInfo, at: datetime) -> tuple[timedelta, str, bool]:
    local = at.astimezone(tz)
    offset = local.utcoffset() or timedelta(0)
    return offset, local.tzname() or "", bool(local.dst())


def transitions(zone: str, start: datetime, end: datetime) -> list[Transition]:
    """Every change in ``zone`` in [start, end), to the second, from zoneinfo."""
    tz = ZoneInfo(zone)
    out: list[Transition] = []
    t = start
    before = _state(tz, t)
    while t < end:
        nxt = min(t + STEP, end)
        after = _state(tz, nxt)
        if after != before:
            lo, hi = t, nxt  # the state at lo is ``before``, at hi it is not
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid <= lo:
                    break
                if _state(tz, mid) == before:
                    lo = mid
                else:
                    hi = mid
            changed = _state(tz, hi)
            out.append(Transition(hi, before[0], changed[0], changed[1], changed[2]))
            before = changed
            t = hi
            continue
        t = nxt
    return out


def _offset(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _observance(kind: str, local_start: datetime, offset_from: timedelta, offset_to: timedelta,
                name: str) -> Iterator[str]:
    yield f"BEGIN:{kind}"
    yield f"DTSTART:{local_start:%Y%m%dT%H%M%S}"
    # the same onset again as an RDATE: RFC 5545 counts DTSTART as an onset, but some parsers
    # (``ical``, older libical) only expand RRULE and RDATE and would skip the observance
    yield f"RDATE:{local_start:%Y%m%dT%H%M%S}"
    yield f"TZOFFSETFROM:{_offset(offset_from)}"
    yield f"TZOFFSETTO:{_offset(offset_to)}"
    if name:
        yield f"TZNAME:{name}"
    yield f"END:{kind}"


def lines(zone: str, first_year: int, last_year: int) -> list[str]:
    """The VTIMEZONE's content lines for ``zone`` from 1 January ``first_year`` to the end of
    ``last_year``, local time: the state at the start, then one observance per change."""
    tz = ZoneInfo(zone)
    start = datetime(first_year, 1, 1, tzinfo=tz).astimezone(UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=tz).astimezone(UTC)
    offset, name, daylight = _state(tz, start)
    out = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
    out += _observance("DAYLIGHT" if daylight else "STANDARD", (start + offset).replace(tzinfo=None),
                       offset, offset, name)
    for change in transitions(zone, start, end):
        out += _observance("DAYLIGHT" if change.daylight else "STANDARD", change.local_start,
                           change.offset_from, change.offset_to, change.name)
    out.append("END:VTIMEZONE")
    return out


@lru_cache(maxsize=256)
def vtimezone_bytes(zone: str, first_year: int, last_year: int) -> bytes:
    """The serialised VTIMEZONE (CRLF line ends; every line is short, nothing to fold)."""
    return "".join(f"{line}\r\n" for line in lines(zone, first_year, last_year)).encode("ascii")
