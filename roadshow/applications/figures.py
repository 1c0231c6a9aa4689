"""Figures of the call for projects: applications received per event (the events' pages show
them), and an event's statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from roadshow.applications.models import Application, ApplicationStatus, application_districts
from roadshow.applications.organizer_list import RECEIVED
from roadshow.events import services as event_services
from roadshow.events.models import Event
from roadshow.scoping import across, scoped
from roadshow.talent.services import station_events


def received_per_event(session: Session, event_ids: list[int]) -> dict[int, int]:
    """Applications past their draft, per event of ``event_ids`` (the events' pages show the
    count)."""
    rows = session.execute(across(
        select(Application.event_id, func.count()).where(
            Application.status != ApplicationStatus.DRAFT
        ).group_by(Application.event_id), event_ids)
    ).all()
    return {event_id: count for event_id, count in rows}


event_services.APPLICATION_COUNTERS.append(received_per_event)


def registered_per_event(session: Session, event_ids: list[int], user_ids: Any) -> dict[int, int]:
    """Per event, the accounts of ``user_ids`` (a SELECT of user ids) with a registration sent
    and not withdrawn: a liaison station's people who registered for its events."""
    rows = session.execute(across(
        select(Application.event_id, func.count(func.distinct(Application.applicant_id))).where(
            Application.status.in_(REGISTERED), Application.applicant_id.in_(user_ids)
        ).group_by(Application.event_id), event_ids)
    ).all()
    return {event_id: count for event_id, count in rows}


REGISTERED = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST,
              ApplicationStatus.NOT_SELECTED)
station_events.REGISTRATION_COUNTERS.append(registered_per_event)


@dataclass
class Statistics:
    by_country: list[tuple[str, int]]
    by_track: list[tuple[int | None, int]]
    by_day: list[tuple[date, int]]
    by_district: list[tuple[int, int]]
    funnel: list[tuple[str, int]]
    total_received: int


def statistics(session: Session, event: Event) -> Statistics:
    """The event's figures; every query scoped to it."""
    received = and_(Application.event_id == event.id, Application.status.in_(RECEIVED),
                    Application.status != ApplicationStatus.WITHDRAWN)

    def rows(statement: Any) -> list[Any]:
        return list(session.execute(scoped(statement, event)).all())

    by_country = rows(select(Application.country, func.count()).where(received)
                      .group_by(Application.country).order_by(func.count().desc(), Application.country))
    by_track = dict(rows(select(Application.track_id, func.count()).where(received)
                         .group_by(Application.track_id)))
    tz = ZoneInfo(event.timezone)
    days: Counter[date] = Counter(
        moment.astimezone(tz).date() for (moment,) in rows(
            select(Application.submitted_at).where(received, Application.submitted_at.is_not(None))))
    by_district = rows(select(application_districts.c.district_id, func.count())
                       .join(Application, Application.id == application_districts.c.application_id)
                       .where(received).group_by(application_districts.c.district_id)
                       .order_by(func.count().desc()))
    status_counts = dict(rows(select(Application.status, func.count())
                              .where(Application.event_id == event.id).group_by(Application.status)))
    ever_submitted = session.scalar(scoped(select(func.count()).select_from(Application).where(
        Application.event_id == event.id, Application.submitted_at.is_not(None)), event)) or 0
    started = sum(status_counts.values())
    in_play = sum(status_counts.get(s, 0) for s in (
        ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED))
    funnel = [("started", started), ("submitted", ever_submitted), ("in_play", in_play),
              ("finalist", status_counts.get(ApplicationStatus.FINALIST, 0))]
    track_rows = [(t.id, by_track.get(t.id, 0)) for t in event.tracks]
    if by_track.get(None):
        track_rows.append((None, by_track[None]))
    return Statistics(
        by_country=[(c or "", n) for c, n in by_country],
        by_track=track_rows,
        by_day=sorted(days.items()),
        by_district=[(d, n) for d, n in by_district],
        funnel=funnel,
        total_received=in_play,
    )
