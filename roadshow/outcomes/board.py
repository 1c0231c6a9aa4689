"""The office's board (issue 15): from applications to landed projects, per event, district,
industry chain (the events' tracks) and year: applications and finalists (the reports' own
counts, which roadshow.reports fills in through ``REPORTED``: a later layer), sealed intents, projects, landed projects, milestones done and late, investment in
yuan and people on site.

Four GROUP BY queries over all the office's events at once (``across()``), keyed by (event,
district, track), added up per dimension in Python: the number of queries does not grow with
the number of events, projects or milestones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.models import Event, Track
from roadshow.organisations.models import Organisation
from roadshow.outcomes.models import TASK_ENDED, Milestone, MilestoneState, Project, Task
from roadshow.outcomes.projects import local_today
from roadshow.scoping import across
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent

#: the figures in order, for tables, charts and the workbook
FIGURES = ("applications", "finalists", "intents", "projects", "landed", "milestones_done",
           "milestones_late", "investment_cny", "people_on_site")


@dataclass(frozen=True)
class Outcome:
    """One row's figures; ``applications`` and ``finalists`` are None where the reports do not
    count them (per district)."""

    applications: int | None = None
    finalists: int | None = None
    intents: int = 0
    projects: int = 0
    landed: int = 0
    milestones_done: int = 0
    milestones_late: int = 0
    investment_cny: int = 0
    people_on_site: int = 0

    def __add__(self, other: Outcome) -> Outcome:
        values = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            values[f.name] = None if a is None and b is None else (a or 0) + (b or 0)
        return Outcome(**values)

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class Row:
    key: Any
    name_zh: str
    name_en: str
    outcome: Outcome
    year: int | None = None


@dataclass
class Board:
    events: list[Row] = field(default_factory=list)
    districts: list[Row] = field(default_factory=list)
    tracks: list[Row] = field(default_factory=list)
    years: list[Row] = field(default_factory=list)
    total: Outcome = field(default_factory=Outcome)
    late: list[Milestone] = field(default_factory=list)
    late_tasks: list[Task] = field(default_factory=list)
    year_choices: list[int] = field(default_factory=list)
    today: date | None = None


Key = tuple[int, int, int | None]  # (event, district, track)


@dataclass(frozen=True)
class Reported:
    """What the reports count of the board's events: each event's year and (applications,
    finalists), and per track code (name_zh, name_en, applications, finalists)."""

    years: dict[int, int]
    events: dict[int, tuple[int, int]]
    tracks: dict[str, tuple[str, str, int, int]]


#: the reports' own queries, installed by roadshow.reports (a later layer, which counts the
#: applications of many events): ``(session, events, now) -> Reported``
REPORTED: list[Callable[[Session, Sequence[Event], datetime], Reported]] = []


def _reported(session: Session, events: Sequence[Event], now: datetime) -> Reported:
    if REPORTED:
        return REPORTED[0](session, events, now)
    return Reported({e.id: e.created_at.year for e in events}, {}, {})


def cells(session: Session, event_ids: list[int], today: date) -> dict[Key, Outcome]:
    """The outcome figures of every (event, district, track) that has a sealed intent."""
    counts: dict[Key, dict[str, int]] = defaultdict(dict)
    for event_id, district_id, track_id, n in session.execute(across(
            select(Application.event_id, Intent.district_id, Application.track_id,
                   func.count(Intent.id))
            .join(Application, Application.id == Intent.application_id)
            .where(Intent.state == IntentState.COMPLETED)
            .group_by(Application.event_id, Intent.district_id, Application.track_id),
            event_ids)):
        counts[(event_id, district_id, track_id)]["intents"] = int(n)
    for event_id, district_id, track_id, n, landed in session.execute(across(
            select(Project.event_id, Project.district_id, Application.track_id,
                   func.count(Project.id), func.count(Project.landed_at))
            .join(Intent, Intent.id == Project.intent_id)
            .join(Application, Application.id == Intent.application_id)
            .group_by(Project.event_id, Project.district_id, Application.track_id), event_ids)):
        key = (event_id, district_id, track_id)
        counts[key]["projects"] = int(n)
        counts[key]["landed"] = int(landed)
    confirmed = Milestone.state == MilestoneState.CONFIRMED
    for event_id, district_id, track_id, done, late, money in session.execute(across(
            select(Project.event_id, Project.district_id, Application.track_id,
                   func.sum(case((confirmed, 1), else_=0)),
                   func.sum(case((and_(~confirmed, Milestone.due_on < today), 1), else_=0)),
                   func.sum(case((confirmed, func.coalesce(Milestone.amount_cny, 0)), else_=0)))
            .join(Project, Project.id == Milestone.project_id)
            .join(Intent, Intent.id == Project.intent_id)
            .join(Application, Application.id == Intent.application_id)
            .group_by(Project.event_id, Project.district_id, Application.track_id), event_ids)):
        key = (event_id, district_id, track_id)
        counts[key]["milestones_done"] = int(done or 0)
        counts[key]["milestones_late"] = int(late or 0)
        counts[key]["investment_cny"] = int(money or 0)
    # people on site: the most any confirmed milestone of a project reports, per project
    people = (select(Milestone.project_id.label("project_id"),
                     func.max(Milestone.people_on_site).label("people"))
              .where(confirmed, Milestone.people_on_site.is_not(None))
              .group_by(Milestone.project_id))
    people = across(people, event_ids).subquery()
    for event_id, district_id, track_id, total in session.execute(across(
            select(Project.event_id, Project.district_id, Application.track_id,
                   func.sum(people.c.people))
            .join(people, people.c.project_id == Project.id)
            .join(Intent, Intent.id == Project.intent_id)
            .join(Application, Application.id == Intent.application_id)
            .group_by(Project.event_id, Project.district_id, Application.track_id), event_ids)):
        counts[(event_id, district_id, track_id)]["people_on_site"] = int(total or 0)
    return {key: Outcome(**values) for key, values in counts.items()}


def _sum(outcomes: Iterable[Outcome]) -> Outcome:
    return sum(outcomes, Outcome())


def build(session: Session, organisation: Organisation, *, year: int | None = None,
          now: datetime | None = None, late_limit: int = 100) -> Board:
    now = now or utcnow()
    today = local_today(organisation.timezone, now)
    events = list(session.scalars(select(Event).where(Event.organisation_id == organisation.id)
                                  .options(selectinload(Event.phases)).order_by(Event.id)))
    reported = _reported(session, events, now)
    years = reported.years
    board = Board(year_choices=sorted(set(years.values()), reverse=True), today=today)
    chosen = [e for e in events if year is None or years[e.id] == year]
    if not chosen:
        return board
    ids = [e.id for e in chosen]
    by_cell = cells(session, ids, today)
    per_event: dict[int, Outcome] = defaultdict(Outcome)
    per_district: dict[int, Outcome] = defaultdict(Outcome)
    per_track: dict[int | None, Outcome] = defaultdict(Outcome)
    for (event_id, district_id, track_id), outcome in by_cell.items():
        per_event[event_id] += outcome
        per_district[district_id] += outcome
        per_track[track_id] += outcome
    for event in sorted(chosen, key=lambda e: (-years[e.id], e.id)):
        applications, finalists = reported.events.get(event.id, (0, 0))
        outcome = per_event[event.id] + Outcome(applications=applications, finalists=finalists)
        board.events.append(Row(event.id, event.title_zh, event.title_en, outcome, years[event.id]))
    by_year: dict[int, Outcome] = defaultdict(Outcome)
    for row in board.events:
        by_year[row.year or 0] += row.outcome
    board.years = [Row(y, str(y), str(y), o, y) for y, o in sorted(by_year.items())]
    board.total = _sum(row.outcome for row in board.events)
    if per_district:
        districts = {d.id: d for d in session.scalars(select(District).where(
            District.id.in_(list(per_district))))}
        board.districts = sorted(
            (Row(i, districts[i].name_zh, districts[i].name_en, o)
             for i, o in per_district.items() if i in districts),
            key=lambda r: (-r.outcome.landed, -r.outcome.intents, r.key))
    board.tracks = _tracks(session, ids, per_track, reported)
    board.late = late_milestones(session, ids, today, limit=late_limit)
    board.late_tasks = list(session.scalars(
        select(Task).where(Task.organisation_id == organisation.id,
                           Task.status.not_in(TASK_ENDED), Task.due_on < today)
        .options(selectinload(Task.lead_district)).order_by(Task.due_on, Task.id).limit(late_limit)))
    return board


def _tracks(session: Session, ids: list[int], per_track: dict[int | None, Outcome],
            reported: Reported) -> list[Row]:
    """Per chain (tracks of several events with the same code count together)."""
    names = {t.id: t for t in session.scalars(across(select(Track), ids))}
    by_code: dict[str, Outcome] = defaultdict(Outcome)
    labels: dict[str, tuple[str, str]] = {"": ("未分赛道", "No track")}
    for track_id, outcome in per_track.items():
        track = names.get(track_id) if track_id is not None else None
        code = track.code if track is not None else ""
        if track is not None:
            labels.setdefault(code, (track.name_zh, track.name_en))
        by_code[code] += outcome
    for code, (name_zh, name_en, applications, finalists) in reported.tracks.items():
        labels.setdefault(code, (name_zh, name_en))
        by_code[code] += Outcome(applications=applications, finalists=finalists)
    return sorted((Row(code, *labels[code], outcome) for code, outcome in by_code.items()),
                  key=lambda r: (-r.outcome.landed, -r.outcome.intents,
                                 -(r.outcome.applications or 0), r.key))


def late_milestones(session: Session, event_ids: list[int], today: date, *,
                    district_ids: Iterable[int] | None = None, limit: int = 100) -> list[Milestone]:
    """Milestones past their deadline and not confirmed, the longest overdue first."""
    stmt = (select(Milestone).where(Milestone.state != MilestoneState.CONFIRMED,
                                    Milestone.due_on < today)
            .options(selectinload(Milestone.project).selectinload(Project.intent)
                     .selectinload(Intent.application),
                     selectinload(Milestone.responsible_district))
            .order_by(Milestone.due_on, Milestone.id).limit(limit))
    if district_ids is not None:
        stmt = stmt.where(Milestone.responsible_district_id.in_(list(district_ids)))
    return list(session.scalars(across(stmt, event_ids)))


def event_titles(session: Session, event_ids: list[int]) -> dict[int, Event]:
    return {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(event_ids)))}
