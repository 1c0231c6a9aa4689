"""The figures of the reports across events (issue 13, §4): which events a report covers, and
their funnel side by side, by district, by track, by year and by country.

- an organisation's report covers its own events and the joint events it co-organises (an
  unrevoked ``joint_event`` share of an alliance it is a current member of);
- an alliance's report covers only the events shared with it: an unrevoked ``event_report`` or
  ``joint_event`` share. A member's other events never appear.

Every figure is a GROUP BY over all the report's events at once (``across()``); the number of
queries does not grow with the number of events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.models import Event, Track
from roadshow.events.services import main_phase, state_of
from roadshow.live.models import DockingRequest
from roadshow.organisations.models import (
    Alliance,
    AllianceMember,
    AllianceShare,
    Organisation,
    ShareKind,
)
from roadshow.reports.funnel import SUBMITTED, Funnel, funnel_by_event
from roadshow.review.models import DistrictInterest, InterestLevel
from roadshow.scoping import across
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent

#: the shares that put an event in an alliance's report
REPORT_SHARES = (ShareKind.EVENT_REPORT, ShareKind.JOINT_EVENT)


@dataclass(frozen=True)
class EventFigures:
    event: Event
    state: str
    year: int
    funnel: Funnel


@dataclass(frozen=True)
class DistrictFigures:
    district: District
    interests: int = 0
    docking_requests: int = 0
    intents: int = 0
    intents_signed: int = 0


@dataclass(frozen=True)
class TrackFigures:
    code: str
    name_zh: str
    name_en: str
    applications: int
    finalists: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    events: int
    funnel: Funnel


@dataclass
class Report:
    events: list[EventFigures] = field(default_factory=list)
    districts: list[DistrictFigures] = field(default_factory=list)
    tracks: list[TrackFigures] = field(default_factory=list)
    years: list[YearFigures] = field(default_factory=list)
    countries: list[tuple[str, int]] = field(default_factory=list)
    total: Funnel = field(default_factory=Funnel)
    #: the years and kinds of every event the report could cover (the filters' choices)
    year_choices: list[int] = field(default_factory=list)
    kind_choices: list[str] = field(default_factory=list)


# --- which events --------------------------------------------------------------------------

def _with_phases(stmt):  # type: ignore[no-untyped-def]
    return stmt.options(selectinload(Event.phases)).order_by(Event.id)


def organisation_events(session: Session, organisation: Organisation) -> list[Event]:
    """The office's own events, and the joint events it co-organises."""
    member_of = select(AllianceMember.alliance_id).where(
        AllianceMember.organisation_id == organisation.id, AllianceMember.left_at.is_(None))
    joint = select(AllianceShare.event_id).where(
        AllianceShare.kind == ShareKind.JOINT_EVENT, AllianceShare.revoked_at.is_(None),
        AllianceShare.alliance_id.in_(member_of))
    return list(session.scalars(_with_phases(select(Event).where(or_(
        Event.organisation_id == organisation.id,
        Event.id.in_(joint) & Event.alliance_id.in_(member_of))))))


def alliance_events(session: Session, alliance: Alliance) -> list[Event]:
    """The events shared with the alliance for its report (unrevoked event_report or
    joint_event shares of its current members); nothing else of its members."""
    current = select(AllianceMember.organisation_id).where(
        AllianceMember.alliance_id == alliance.id, AllianceMember.left_at.is_(None))
    shared = select(AllianceShare.event_id).where(
        AllianceShare.alliance_id == alliance.id, AllianceShare.kind.in_(REPORT_SHARES),
        AllianceShare.revoked_at.is_(None), AllianceShare.event_id.is_not(None),
        AllianceShare.organisation_id.in_(current))
    return list(session.scalars(_with_phases(select(Event).where(Event.id.in_(shared)))))


def event_year(event: Event) -> int:
    """The year of the event's main phase in its zone (else of its creation)."""
    phase = main_phase(event)
    moment = phase.starts_at if phase is not None else (event.created_at or utcnow())
    return moment.astimezone(ZoneInfo(event.timezone or "Asia/Shanghai")).year


# --- the figures ---------------------------------------------------------------------------

def build(session: Session, events: Sequence[Event], *, year: int | None = None,
          kind: str | None = None, now: datetime | None = None, details: bool = True) -> Report:
    """The report over ``events``, narrowed to ``year`` and ``kind`` when given; without
    ``details`` only the funnel per event and per year (the office's home)."""
    now = now or utcnow()
    years = {event.id: event_year(event) for event in events}
    report = Report(year_choices=sorted(set(years.values()), reverse=True),
                    kind_choices=sorted({str(event.kind) for event in events}))
    chosen = [event for event in events
              if (year is None or years[event.id] == year) and (kind is None or str(event.kind) == kind)]
    if not chosen:
        return report
    ids = [event.id for event in chosen]
    funnels = funnel_by_event(session, ids, now)
    report.events = sorted(
        (EventFigures(event, state_of(event, now), years[event.id], funnels[event.id])
         for event in chosen), key=lambda f: (-f.year, f.event.id))
    report.total = sum((f.funnel for f in report.events), Funnel())
    by_year: dict[int, list[EventFigures]] = defaultdict(list)
    for figures in report.events:
        by_year[figures.year].append(figures)
    report.years = [YearFigures(y, len(rows), sum((r.funnel for r in rows), Funnel()))
                    for y, rows in sorted(by_year.items())]
    if not details:
        return report
    report.districts = district_figures(session, ids)
    report.tracks = track_figures(session, ids)
    report.countries = country_figures(session, ids)
    return report


def district_figures(session: Session, event_ids: list[int]) -> list[DistrictFigures]:
    """Per district: interests marked in review, docking requests in the live rooms, intents
    (and of them signed)."""
    interests = dict(session.execute(across(
        select(DistrictInterest.district_id, func.count(DistrictInterest.id))
        .where(DistrictInterest.level != InterestLevel.NONE)
        .group_by(DistrictInterest.district_id), event_ids)).all())
    requests = dict(session.execute(across(
        select(DockingRequest.district_id, func.count(DockingRequest.id))
        .group_by(DockingRequest.district_id), event_ids)).all())
    intents: dict[int, tuple[int, int]] = {
        district_id: (int(total), int(signed or 0)) for district_id, total, signed in
        session.execute(across(
            select(Intent.district_id, func.count(Intent.id),
                   func.sum(case((Intent.state == IntentState.COMPLETED, 1), else_=0)))
            .group_by(Intent.district_id), event_ids)).all()}
    ids = set(interests) | set(requests) | set(intents)
    if not ids:
        return []
    districts = session.scalars(select(District).where(District.id.in_(ids))).all()
    rows = [DistrictFigures(d, int(interests.get(d.id, 0)), int(requests.get(d.id, 0)),
                            *intents.get(d.id, (0, 0))) for d in districts]
    return sorted(rows, key=lambda r: (-r.intents_signed, -r.intents, -r.interests, r.district.id))


def track_figures(session: Session, event_ids: list[int]) -> list[TrackFigures]:
    """Per track (tracks of several events with the same code count together): submitted
    applications and finalists."""
    rows = session.execute(across(
        select(Track.code, func.min(Track.name_zh), func.min(Track.name_en),
               func.count(Application.id),
               func.sum(case((Application.status == ApplicationStatus.FINALIST, 1), else_=0)))
        .join(Application, Application.track_id == Track.id)
        .where(Application.status.in_(SUBMITTED))
        .group_by(Track.code), event_ids)).all()
    return sorted((TrackFigures(code, zh, en, int(count), int(finalists or 0))
                   for code, zh, en, count, finalists in rows),
                  key=lambda t: (-t.applications, t.code))


def country_figures(session: Session, event_ids: list[int]) -> list[tuple[str, int]]:
    """Per country of residence (ISO code; "" unknown): submitted applications."""
    rows = session.execute(across(
        select(Application.country, func.count(Application.id))
        .where(Application.status.in_(SUBMITTED))
        .group_by(Application.country), event_ids)).all()
    return sorted(((code or "", int(count)) for code, count in rows), key=lambda r: (-r[1], r[0]))
