"""Plain builders for events in tests (shared by the events and applications tests)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from roadshow.db import utcnow
from roadshow.events.models import Event, EventPhase, PhaseKind, Track

TRACKS = [("ict", "集成电路与信息通信", "Integrated circuits and ICT"),
          ("bio", "生物医药与大健康", "Biomedicine and health")]


def build_event(session: Any, *, zone: str = "Asia/Shanghai", call_starts: datetime | None = None,
                call_ends: datetime | None = None, districts: list[Any] | None = None,
                slug: str = "test-event", **fields: Any) -> Event:
    """An event whose call is open now (by default) with two tracks and later phases."""
    now = utcnow()
    call_starts = call_starts or now - timedelta(days=10)
    call_ends = call_ends or now + timedelta(days=10)
    event = Event(slug=slug, title_zh=fields.pop("title_zh", "测试路演"),
                  title_en=fields.pop("title_en", "Test Roadshow"), timezone=zone, **fields)
    event.phases = [
        EventPhase(kind=PhaseKind.CALL, starts_at=call_starts, ends_at=call_ends),
        EventPhase(kind=PhaseKind.REVIEW, starts_at=call_ends, ends_at=call_ends + timedelta(days=20)),
        EventPhase(kind=PhaseKind.ROADSHOW, starts_at=call_ends + timedelta(days=25),
                   ends_at=call_ends + timedelta(days=27)),
    ]
    event.tracks = [Track(code=c, name_zh=zh, name_en=en, position=i) for i, (c, zh, en) in enumerate(TRACKS)]
    event.districts = list(districts or [])
    session.add(event)
    session.commit()
    return event
