"""Pitch sessions and their slot grid: create, change (the grid is rebuilt, placed finalists keep
their order), delete, publish.

Every write takes the SQLAlchemy session and the acting user; views commit once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.scheduling import timeutil
from roadshow.scheduling.exceptions import ScheduleError
from roadshow.scheduling.models import (
    PitchSession,
    SessionStatus,
    Slot,
    SlotKind,
)
from roadshow.scheduling.queries import sessions_of

log = logging.getLogger("roadshow.scheduling")


DISTRICT_MINUTES_DEFAULT = 10


@dataclass
class SessionData:
    title_zh: str
    title_en: str
    day: date
    start: time
    end: time
    track_id: int | None = None
    join_url: str = ""
    pitch_minutes: int = 12
    qa_minutes: int = 8
    #: breaks as local (start, end) times on the same day
    breaks: list[tuple[time, time]] = field(default_factory=list)
    #: districts presenting their offers at the start of the session
    district_ids: list[int] = field(default_factory=list)
    district_minutes: int = DISTRICT_MINUTES_DEFAULT


def parse_breaks(text: str) -> list[tuple[time, time]]:
    """``12:00-12:30, 15:00-15:10`` -> [(12:00, 12:30), (15:00, 15:10)]; ValueError if unreadable."""
    breaks = []
    for part in text.replace("，", ",").replace(";", ",").split(","):
        part = part.strip().replace("–", "-").replace("—", "-")
        if not part:
            continue
        a, sep, b = part.partition("-")
        if not sep:
            raise ScheduleError("break_format", text=part)
        try:
            start, end = time.fromisoformat(a.strip()), time.fromisoformat(b.strip())
        except ValueError:
            raise ScheduleError("break_format", text=part) from None
        if end <= start:
            raise ScheduleError("break_order", text=part)
        breaks.append((start, end))
    return sorted(breaks)


def format_breaks(pitch_session: PitchSession, zone: str) -> str:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    return ", ".join(
        f"{s.starts_at.astimezone(tz):%H:%M}-{s.ends_at.astimezone(tz):%H:%M}"
        for s in pitch_session.slots if s.kind == SlotKind.BREAK)


def _layout(event: Event, data: SessionData) -> tuple[datetime, datetime, list[tuple[SlotKind, int | None, datetime, datetime]]]:
    """The session's UTC times and its slot grid: district presentations, pitches, breaks."""
    zone = event.timezone
    if data.start == data.end:
        raise ScheduleError("session_same_times")
    try:
        start, end = timeutil.interval(data.day, data.start, data.end, zone)
        breaks = [timeutil.interval(data.day, a, b, zone) for a, b in data.breaks]
    except timeutil.LocalTimeError:
        raise ScheduleError("time_missing", zone=zone) from None
    if end - start > timedelta(hours=14):
        raise ScheduleError("too_long")
    slot_minutes = data.pitch_minutes + data.qa_minutes
    if slot_minutes < 5:
        raise ScheduleError("slot_too_short")
    for a, b in breaks:
        if a < start or b > end:
            raise ScheduleError("break_outside")
    grid: list[tuple[SlotKind, int | None, datetime, datetime]] = []
    t = start
    for district_id in data.district_ids:
        b = t + timedelta(minutes=data.district_minutes)
        grid.append((SlotKind.DISTRICT, district_id, t, b))
        t = b
    if t > end:
        raise ScheduleError("districts_overflow")
    for a, b in breaks:
        grid.append((SlotKind.BREAK, None, a, b))
    for a, b in timeutil.slot_times(t, end, slot_minutes, breaks):
        grid.append((SlotKind.PITCH, None, a, b))
    if not any(kind == SlotKind.PITCH for kind, *_rest in grid):
        raise ScheduleError("no_pitch_slots")
    grid.sort(key=lambda g: g[2])
    return start, end, grid


def save_session(session: Session, actor: User, event: Event, data: SessionData,
                 pitch_session: PitchSession | None = None) -> PitchSession:
    """Create a session, or change one: its grid is rebuilt and its finalists keep their order."""
    start, end, grid = _layout(event, data)
    if pitch_session is None:
        pitch_session = PitchSession(event_id=event.id, event=event)
        session.add(pitch_session)
    times_changed = (pitch_session.id is not None and
                     (pitch_session.starts_at, pitch_session.ends_at) != (start, end))
    link_changed = pitch_session.id is not None and pitch_session.join_url != data.join_url
    pitch_session.title_zh = data.title_zh.strip()
    pitch_session.title_en = data.title_en.strip()
    pitch_session.track_id = data.track_id
    pitch_session.join_url = data.join_url.strip()
    pitch_session.starts_at, pitch_session.ends_at = start, end
    pitch_session.pitch_minutes = data.pitch_minutes
    pitch_session.qa_minutes = data.qa_minutes
    pitch_session.slot_minutes = data.pitch_minutes + data.qa_minutes
    if times_changed or link_changed:
        pitch_session.sequence += 1

    # Rebuild the grid, reusing slots so their calendar UIDs stay: pitches in order (placed
    # finalists keep their order, in the new times), district presentations by district,
    # breaks in order. Whatever changed time or link raises its SEQUENCE.
    pools: dict[Any, list[Slot]] = defaultdict(list)
    for s in sorted(pitch_session.slots, key=lambda x: (x.starts_at, x.id)):
        key = (s.kind, s.district_id) if s.kind == SlotKind.DISTRICT else s.kind
        pools[key].append(s)
    overflow: list[int] = []
    for position, (kind, district_id, a, b) in enumerate(grid):
        key = (kind, district_id) if kind == SlotKind.DISTRICT else kind
        if pools.get(key):
            old = pools[key].pop(0)
            if old.application_id and (old.starts_at, old.ends_at) != (a, b):
                check_not_started(a)  # a placed pitch is never moved into the past
            if (old.starts_at, old.ends_at) != (a, b) or link_changed:
                old.sequence += 1
            old.starts_at, old.ends_at, old.position = a, b, position
        else:
            pitch_session.slots.append(Slot(kind=kind, district_id=district_id, starts_at=a,
                                            ends_at=b, position=position))
    for leftovers in pools.values():
        for s in leftovers:
            if s.application_id:
                overflow.append(s.application_id)
            pitch_session.slots.remove(s)
    session.flush()
    log.info("user %s saved session %s (%s slots; %s finalists no longer fit)",
             actor.id, pitch_session.id, len(pitch_session.slots), len(overflow))
    return pitch_session


def session_data_of(pitch_session: PitchSession, zone: str) -> SessionData:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    start = pitch_session.starts_at.astimezone(tz)
    end = pitch_session.ends_at.astimezone(tz)
    districts = [s for s in pitch_session.slots if s.kind == SlotKind.DISTRICT]
    return SessionData(
        title_zh=pitch_session.title_zh, title_en=pitch_session.title_en, day=start.date(),
        start=start.time(), end=end.time(), track_id=pitch_session.track_id,
        join_url=pitch_session.join_url, pitch_minutes=pitch_session.pitch_minutes,
        qa_minutes=pitch_session.qa_minutes,
        breaks=[(s.starts_at.astimezone(tz).time(), s.ends_at.astimezone(tz).time())
                for s in pitch_session.slots if s.kind == SlotKind.BREAK],
        district_ids=[s.district_id for s in districts if s.district_id],
        district_minutes=districts[0].minutes if districts else DISTRICT_MINUTES_DEFAULT,
    )


def delete_session(session: Session, actor: User, pitch_session: PitchSession) -> None:
    """Remove a session; calendars that received it get a CANCEL on the next send."""
    log.info("user %s deleted session %s", actor.id, pitch_session.id)
    session.delete(pitch_session)
    session.flush()


def check_not_started(starts_at: datetime, now: datetime | None = None) -> None:
    """Refuse a change to a slot starting at ``starts_at`` if that has passed: no invitation
    goes out for a past time. ``slot_past`` names the start."""
    if starts_at <= (now or utcnow()):
        raise ScheduleError("slot_past", when=starts_at)


def publish(session: Session, actor: User, event: Event) -> int:
    """Publish every draft session; returns how many were published."""
    count = 0
    for ps in sessions_of(session, event):
        if ps.status != SessionStatus.PUBLISHED:
            ps.status = SessionStatus.PUBLISHED
            ps.published_at = utcnow()
            count += 1
    session.flush()
    log.info("user %s published %s sessions of event %s", actor.id, count, event.id)
    return count


def unpublish(session: Session, actor: User, pitch_session: PitchSession) -> None:
    pitch_session.status = SessionStatus.DRAFT
    session.flush()
