"""The organizer's list of an event's applications: filters, sorting, pages, and its export rows;
every query scoped to the event (:func:`roadshow.scoping.scoped`)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import (
    ApplicantProfile,
    Application,
    ApplicationStatus,
    Deck,
    application_districts,
)
from roadshow.districts.models import District
from roadshow.events.models import Event, Track
from roadshow.scoping import scoped

#: statuses of applications that were sent (the organizer's default list)
RECEIVED = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED,
            ApplicationStatus.WITHDRAWN)
SORTS = {
    "newest": (Application.submitted_at.desc(), Application.id.desc()),
    "oldest": (Application.submitted_at.asc(), Application.id.asc()),
    "title": (Application.title_en.asc(), Application.id.asc()),
    "country": (Application.country.asc(), Application.id.asc()),
    "applicant": (User.name.asc(), Application.id.asc()),
    "track": (Application.track_id.asc(), Application.id.asc()),
}
PER_PAGE = 50


@dataclass
class ListQuery:
    event_id: int
    q: str = ""
    track_id: int | None = None
    country: str = ""
    status: str = ""  # "" means every status but drafts
    district_id: int | None = None
    sort: str = "newest"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class Page:
    items: list[Application]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _filtered(statement: Select[Any], query: ListQuery, *, case_folding_like: bool = False) -> Select[Any]:
    """The list's conditions. ``case_folding_like``: the database's LIKE already ignores case
    (SQLite), so plain LIKE avoids lower() on every row."""
    conditions = [Application.event_id == query.event_id]
    if query.status:
        conditions.append(Application.status == ApplicationStatus(query.status))
    else:
        conditions.append(Application.status.in_(RECEIVED))
    if query.track_id:
        conditions.append(Application.track_id == query.track_id)
    if query.country:
        conditions.append(Application.country == query.country.upper())
    if query.district_id:
        conditions.append(exists().where(
            application_districts.c.application_id == Application.id,
            application_districts.c.district_id == query.district_id))
    text = query.q.strip()
    if text:
        if text.lstrip("#").isdigit():
            conditions.append(Application.id == int(text.lstrip("#")))
        else:
            like = f"%{text}%"
            columns = (Application.title_en, Application.title_zh, User.name, User.name_native, User.email)
            conditions.append(or_(*(c.like(like) if case_folding_like else c.ilike(like) for c in columns)))
    return statement.where(and_(*conditions))


def search(session: Session, event: Event, query: ListQuery) -> Page:
    """One page of the organizer's list of ``event``: a count and one query for the rows
    (applicant and track joined), plus one for their districts; no query per row."""
    with_user = bool(query.q.strip()) or query.sort == "applicant"
    counted = select(func.count(Application.id)).select_from(Application)
    if with_user:
        counted = counted.join(User, Application.applicant_id == User.id)
    folding = session.get_bind().dialect.name == "sqlite"
    total = session.scalar(scoped(_filtered(counted, query, case_folding_like=folding), event)) or 0
    page = max(1, min(query.page, max(1, math.ceil(total / query.per_page))))
    statement = (_filtered(select(Application).join(User, Application.applicant_id == User.id), query,
                           case_folding_like=folding)
                 .order_by(*SORTS.get(query.sort, SORTS["newest"]))
                 .options(contains_eager(Application.applicant), joinedload(Application.track),
                          selectinload(Application.districts))
                 .limit(query.per_page).offset((page - 1) * query.per_page))
    items = list(session.scalars(scoped(statement, event)).unique())
    return Page(items, total, page, query.per_page)


def countries_in(session: Session, event: Event) -> list[str]:
    return [c for c in session.scalars(scoped(
        select(Application.country).where(Application.event_id == event.id, Application.country != "")
        .distinct().order_by(Application.country), event)) if c]


EXPORT_COLUMNS = ("id", "status", "submitted_at", "title_en", "title_zh", "track", "stage",
                  "team_size", "funding_sought_cny", "country", "applicant", "applicant_chinese",
                  "email", "nationality", "institution", "position", "highest_degree",
                  "research_field", "districts", "summary", "support_sought", "video_url",
                  "deck", "deck_sha256")


def export_rows(session: Session, event: Event, query: ListQuery, zone: str) -> list[list[Any]]:
    """Every application matching the filters (no paging), one list of values per row in
    :data:`EXPORT_COLUMNS` order; times as ``YYYY-MM-DD HH:MM`` in ``zone``. Codes stay codes
    (the track's, a tuple of the districts'), the funding a ``Decimal``:
    :func:`roadshow.applications.exports.localize` names them for the reader."""
    statement = _filtered(
        select(Application.id, Application.status, Application.submitted_at, Application.title_en,
               Application.title_zh, Track.code, Application.stage, Application.team_size,
               Application.funding_sought_cny, Application.country, User.name,
               func.coalesce(func.nullif(ApplicantProfile.name_chinese, ""), User.name_native),
               User.email, ApplicantProfile.nationality, ApplicantProfile.institution,
               ApplicantProfile.position, ApplicantProfile.highest_degree,
               ApplicantProfile.research_field, Application.summary, Application.support_sought,
               Application.video_url)
        .select_from(Application)
        .join(User, Application.applicant_id == User.id)
        .outerjoin(ApplicantProfile, ApplicantProfile.user_id == User.id)
        .outerjoin(Track, Track.id == Application.track_id), query,
    ).order_by(*SORTS.get(query.sort, SORTS["newest"]))
    rows = session.execute(scoped(statement, event)).all()
    ids = [r[0] for r in rows]
    districts: dict[int, list[str]] = defaultdict(list)
    decks: dict[int, tuple[str, str]] = {}
    if ids:
        for app_id, code in session.execute(scoped(
                select(application_districts.c.application_id, District.code)
                .join(District, District.id == application_districts.c.district_id)
                .join(Application, Application.id == application_districts.c.application_id)
                .where(Application.event_id == query.event_id)
                .order_by(application_districts.c.application_id, District.id), event)):
            districts[app_id].append(code)
        for app_id, name, sha in session.execute(scoped(
                select(Deck.application_id, Deck.original_name, Deck.sha256)
                .join(Application, Application.id == Deck.application_id)
                .where(Application.event_id == query.event_id).order_by(Deck.uploaded_at), event)):
            decks[app_id] = (name, sha)
    tz = ZoneInfo(zone)
    out = []
    for r in rows:
        app_id = r[0]
        deck = decks.get(app_id, ("", ""))
        out.append([
            app_id, r[1].value, r[2].astimezone(tz).strftime("%Y-%m-%d %H:%M") if r[2] else "",
            r[3], r[4], r[5] or "", r[6].value if r[6] else "", r[7],
            r[8], r[9], r[10], r[11] or "", r[12],
            r[13] or "", r[14] or "", r[15] or "", r[16] or "", r[17] or "",
            tuple(districts.get(app_id, [])), r[18], r[19], r[20], deck[0], deck[1],
        ])
    return out
