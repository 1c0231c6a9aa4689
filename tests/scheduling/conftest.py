"""Factories for scheduling tests: an event in its roadshow, finalists in many zones, sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from typing import Any

import pytest

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events.models import Event, EventPhase, PhaseKind, Track
from roadshow.extensions import db as _db
from roadshow.scheduling import pitch_sessions
from roadshow.scheduling.models import PitchSession

#: the roadshow's two days, in Asia/Shanghai: Friday 20 and Saturday 21 November of a year to
#: come (the first after this one where the 20th is a Friday, as the pages tested name it), so
#: they are always ahead (no invitation is sent for a time that has passed) and after every
#: northern zone's autumn change
DAY1 = next(date(year, 11, 20) for year in count(datetime.now(UTC).year + 1) if date(year, 11, 20).weekday() == 4)
DAY2 = DAY1 + timedelta(days=1)


@pytest.fixture
def event(app: Any, make_district: Callable[..., Any]) -> Event:
    shanghai = "Asia/Shanghai"
    from zoneinfo import ZoneInfo

    def at(day: date, hour: int = 0) -> datetime:
        return datetime.combine(day, time(hour), ZoneInfo(shanghai)).astimezone(UTC)

    event = Event(slug="xz-2026", title_zh="2026 徐州云创荟", title_en="Xuzhou Cloud Roadshow 2026",
                  organizer_name_zh="徐州市人才办", organizer_name_en="Xuzhou Talent Office",
                  timezone=shanghai)
    event.phases = [EventPhase(kind=PhaseKind.ROADSHOW, starts_at=at(DAY1), ends_at=at(DAY2 + timedelta(days=1)))]
    event.tracks = [Track(code="bio", name_zh="生物医药", name_en="Biomedicine", position=0),
                    Track(code="energy", name_zh="新能源", name_en="New energy", position=1)]
    event.districts = [make_district(code="gulou"), make_district(code="xdz", name_zh="经开区",
                                                                    name_en="Economic Development Zone")]
    _db.session.add(event)
    _db.session.commit()
    return event


@pytest.fixture
def organizer(make_user: Callable[..., User]) -> User:
    return make_user(Role.ORGANIZER, email="organizer@example.org", name="Talent Office",
                     locale="zh_Hans_CN")


@pytest.fixture
def make_finalist(event: Event, make_user: Callable[..., User]) -> Callable[..., Application]:
    def make(zone: str = "America/New_York", *, name: str | None = None, track: int | None = 0,
             districts: list[Any] | None = None, locale: str = "en") -> Application:
        user = make_user(Role.APPLICANT, timezone=zone, name=name, locale=locale)
        app = Application(event_id=event.id, applicant_id=user.id, status=ApplicationStatus.FINALIST,
                          title_en=f"Project of {user.name}", title_zh=f"{user.name}的项目",
                          track_id=event.tracks[track].id if track is not None else None)
        app.districts = list(districts or [])
        _db.session.add(app)
        _db.session.commit()
        return app

    return make


@pytest.fixture
def make_session(event: Event, organizer: User) -> Callable[..., PitchSession]:
    def make(day: date = DAY1, start: str = "08:00", end: str = "10:00", *, track: int | None = None,
             title: str = "Morning", districts: list[Any] | None = None, breaks: str = "",
             join_url: str = "https://meeting.example.org/j/123456") -> PitchSession:
        data = pitch_sessions.SessionData(
            title_zh=f"{title}场", title_en=title, day=day, start=time.fromisoformat(start),
            end=time.fromisoformat(end), track_id=event.tracks[track].id if track is not None else None,
            join_url=join_url, pitch_minutes=12, qa_minutes=8, breaks=pitch_sessions.parse_breaks(breaks),
            district_ids=[d.id for d in districts or []])
        pitch_session = pitch_sessions.save_session(_db.session, organizer, event, data)
        _db.session.commit()
        return pitch_session

    return make
