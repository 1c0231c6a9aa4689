"""A small world for the reports: events of an office with applications from several countries,
finalists, pitches held, districts' interests, docking requests and intents, each built row by
row so that a test can count what the report should say."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.events.models import Event, Track
from roadshow.extensions import db as _db
from roadshow.live.models import DockingKind, DockingRequest
from roadshow.review.models import DistrictInterest, InterestLevel
from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind
from roadshow.signing.flow import IntentState, Ordering
from roadshow.signing.models import Intent
from tests.many_events_fixtures import default_organisation

_numbers = itertools.count(1)


@dataclass
class Filled:
    """What was put into one event, to check the report against."""

    event: Event
    applications: list[Application] = field(default_factory=list)
    pitched: set[int] = field(default_factory=set)
    intents: list[Intent] = field(default_factory=list)
    interests: list[DistrictInterest] = field(default_factory=list)
    requests: list[DockingRequest] = field(default_factory=list)


@pytest.fixture
def fill(make_user: Callable[..., Any]) -> Callable[..., Filled]:
    """``fill(event, statuses=[...], countries=[...], district=d, pitched=n, signed=n,
    drafted=n, track=(code, zh, en))``: rows of ``event``, returned for counting."""

    def make(event: Event, statuses: list[str], countries: list[str], *, district: Any,
             pitched: int = 0, signed: int = 0, drafted: int = 0,
             track: tuple[str, str, str] | None = None) -> Filled:
        filled = Filled(event)
        track_row = None
        if track is not None:
            track_row = Track(event=event, code=track[0], name_zh=track[1], name_en=track[2])
            _db.session.add(track_row)
        for status, country in zip(statuses, countries, strict=True):
            application = Application(
                event=event, applicant=make_user("applicant"), status=ApplicationStatus(status),
                country=country, title_en=f"Project {next(_numbers)}", title_zh="项目",
                track=track_row, submitted_at=utcnow() if status != "draft" else None)
            _db.session.add(application)
            filled.applications.append(application)
        _db.session.flush()
        finalists = [a for a in filled.applications if a.status == ApplicationStatus.FINALIST]
        now = utcnow()
        held = PitchSession(event_id=event.id, title_zh="路演", title_en="Pitches",
                            starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1),
                            status=SessionStatus.PUBLISHED)
        _db.session.add(held)
        for n, application in enumerate(finalists[:pitched]):
            start = held.starts_at + timedelta(minutes=15 * n)
            held.slots.append(Slot(kind=SlotKind.PITCH, application_id=application.id,
                                   starts_at=start, ends_at=start + timedelta(minutes=15)))
            filled.pitched.add(application.id)
        for application in finalists:
            interest = DistrictInterest(application=application, district=district,
                                        level=InterestLevel.STRONG)
            request = DockingRequest(event_id=event.id, application_id=application.id,
                                     district_id=district.id, kind=DockingKind.TALK)
            _db.session.add_all([interest, request])
            filled.interests.append(interest)
            filled.requests.append(request)
        states = [IntentState.COMPLETED] * signed + [IntentState.DRAFT] * drafted
        for application, state in zip(finalists, states, strict=False):
            intent = Intent(application=application, district=district, state=state,
                            reference=f"RS-T-{next(_numbers):05d}", ordering=Ordering.SEQUENTIAL)
            _db.session.add(intent)
            filled.intents.append(intent)
        _db.session.commit()
        return filled

    return make


@pytest.fixture
def default_office(app: Any) -> Any:
    """The default test organisation, which the organizer of ``make_user`` organises."""
    return default_organisation()
