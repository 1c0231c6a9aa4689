"""When the demo's roadshow sessions run, built from the moment the demo is loaded.

The first session is always live when the demo is loaded: it started an hour before (two
district presentations and two pitches are over, the third finalist is on stage). The five
others follow at the model event's hours, 08:00, 14:00 and 19:00 Beijing time (evening in the
Americas, morning and midday in Europe, day time in Australia), so every time zone is awake
for some of them. Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EVENT_ZONE = "Asia/Shanghai"
#: how long before the demo is loaded its first session started
FIRST_SESSION_STARTED = timedelta(minutes=60)
#: the first session: length in minutes, break after minutes
FIRST = (220, 120)
#: the usual sessions: (local hour, length in minutes, break after minutes)
RHYTHM = [(8, 220, 120), (14, 220, 100), (19, 200, 100)]
SESSIONS = 6
#: the least time between the live session's end and the next one's start
GAP = timedelta(minutes=30)
BREAK_MINUTES = 10

PARTS_OF_DAY = [(6, "凌晨场", "Night"), (12, "上午场", "Morning"), (18, "下午场", "Afternoon"), (24, "晚场", "Evening")]
DAY_NAMES = {1: ("第一天", "Day 1"), 2: ("第二天", "Day 2"), 3: ("第三天", "Day 3")}


@dataclass(frozen=True)
class PlannedSession:
    """A session in the event's zone: its day, local start and end, an optional break."""

    day: date
    start: time
    end: time
    break_: tuple[time, time] | None
    title_zh: str
    title_en: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC


def first_session_start(now: datetime, zone: str = EVENT_ZONE) -> datetime:
    """An hour before ``now``, on a ten-minute mark, in the event's zone."""
    local = now.astimezone(ZoneInfo(zone)) - FIRST_SESSION_STARTED
    return local.replace(minute=local.minute - local.minute % 10, second=0, microsecond=0)


def _starts(now: datetime, tz: ZoneInfo) -> list[tuple[datetime, int, int]]:
    """(local start, minutes, break after) of every session."""
    first = first_session_start(now, tz.key)
    out = [(first, *FIRST)]
    earliest = first + timedelta(minutes=FIRST[0]) + GAP
    day = first.date()
    while len(out) < SESSIONS:
        for hour, minutes, break_after in RHYTHM:
            start = datetime.combine(day, time(hour), tz)
            if start >= earliest and len(out) < SESSIONS:
                out.append((start, minutes, break_after))
        day += timedelta(days=1)
    return out


def plan(now: datetime, zone: str = EVENT_ZONE) -> list[PlannedSession]:
    """The demo's six sessions, the first one live at ``now``."""
    tz, utc = ZoneInfo(zone), ZoneInfo("UTC")
    starts = _starts(now, tz)
    first_day = starts[0][0].date()
    sessions = []
    for start, minutes, break_after in starts:
        end = (start + timedelta(minutes=minutes)).astimezone(tz)
        a = start + timedelta(minutes=break_after)
        b = a + timedelta(minutes=BREAK_MINUTES)
        # a break after midnight is left out (the editor reads break times on the start's day)
        break_ = (a.time(), b.time()) if a.date() == b.date() == start.date() else None
        day_number = (start.date() - first_day).days + 1
        day_zh, day_en = DAY_NAMES.get(day_number, (f"第{day_number}天", f"Day {day_number}"))
        part_zh, part_en = next((zh, en) for until, zh, en in PARTS_OF_DAY if start.hour < until)
        sessions.append(PlannedSession(
            day=start.date(), start=start.time(), end=end.time(), break_=break_,
            title_zh=f"{day_zh} {part_zh}", title_en=f"{day_en} · {part_en}",
            starts_at=start.astimezone(utc), ends_at=end.astimezone(utc),
        ))
    return sessions


def roadshow_days(now: datetime, zone: str = EVENT_ZONE) -> tuple[date, date]:
    """The first and last day (in the event's zone) on which a session runs."""
    sessions = plan(now, zone)
    tz = ZoneInfo(zone)
    return sessions[0].starts_at.astimezone(tz).date(), sessions[-1].ends_at.astimezone(tz).date()
