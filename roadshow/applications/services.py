"""Applications: profile, draft, submit, edit, withdraw; decks; the organizer's list and figures.

Every write takes the session and the acting user; the deadline is the server's to enforce,
in the event's zone (see :mod:`roadshow.events.phases`). Views commit once.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from roadshow.accounts.models import User
from roadshow.applications import files, rendering
from roadshow.applications.models import (
    ApplicantProfile,
    Application,
    ApplicationAnswer,
    ApplicationStatus,
    Deck,
    ProjectStage,
    application_districts,
)
from roadshow.applications.signals import application_withdrawn
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events import services as event_services
from roadshow.events.models import Event, EventQuestion, QuestionKind, Track
from roadshow.mail.outbox import queue_email

log = logging.getLogger("roadshow.applications")

#: statuses of applications that were sent (the organizer's default list)
RECEIVED = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED,
            ApplicationStatus.WITHDRAWN)
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)

PROFILE_FIELDS = ("name_latin", "name_chinese", "nationality", "country_of_residence", "institution",
                  "position", "highest_degree", "research_field", "bio")
PROFILE_REQUIRED = ("name_latin", "nationality", "country_of_residence", "institution", "position",
                    "highest_degree", "research_field")


class CallClosedError(Exception):
    """The call for projects is closed for this event (by date or by hand)."""


class IncompleteError(Exception):
    """The application lacks what a submission needs; ``missing`` names the parts."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


class NotAllowedError(Exception):
    """The action does not fit the application's status."""


def received_per_event(session: Session) -> dict[int, int]:
    """Applications past their draft, per event (the events' pages show the count)."""
    rows = session.execute(
        select(Application.event_id, func.count()).where(
            Application.status != ApplicationStatus.DRAFT
        ).group_by(Application.event_id)
    ).all()
    return {event_id: count for event_id, count in rows}


event_services.APPLICATION_COUNTERS.append(received_per_event)


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for emails, built without a request (services also run from the CLI)."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return current_app.config["PUBLIC_BASE_URL"] + adapter.build(endpoint, values)


def _mail_context(application: Application, **extra: Any) -> dict[str, Any]:
    return {"application": application, "event": application.event,
            "status_link": link("applications.status", application_id=application.id),
            "form_link": link("applications.form", event_id=application.event_id),
            **_change_window(application.event), **extra}


def _change_window(event: Event) -> dict[str, Any]:
    """Until when the email says the application may change: the close date while it lies ahead;
    once the organizers reopened the call by hand past that date, until they close it."""
    info = event_services.phase_info(event)
    if info.call_open_by_hand:
        return {"closes_at": None, "call_open_by_hand": True}
    return {"closes_at": info.call_closes_at, "call_open_by_hand": False}


# --- files --------------------------------------------------------------------------------

def deck_store() -> files.FileStore:
    return files.FileStore(Path(current_app.config["UPLOAD_FOLDER"]) / "decks")


def answer_store() -> files.FileStore:
    return files.FileStore(Path(current_app.config["UPLOAD_FOLDER"]) / "answers")


def deck_max_bytes() -> int:
    return int(current_app.config.get("DECK_MAX_BYTES", files.DECK_MAX_BYTES))


# --- profile ------------------------------------------------------------------------------

def profile_of(session: Session, user: User) -> ApplicantProfile | None:
    return session.scalar(select(ApplicantProfile).where(ApplicantProfile.user_id == user.id))


def save_profile(session: Session, actor: User, values: dict[str, str]) -> ApplicantProfile:
    profile = profile_of(session, actor)
    if profile is None:
        profile = ApplicantProfile(user_id=actor.id)
        session.add(profile)
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(profile, name, (values[name] or "").strip())
    session.flush()
    return profile


def profile_missing(profile: ApplicantProfile | None) -> list[str]:
    if profile is None:
        return list(PROFILE_REQUIRED)
    return [name for name in PROFILE_REQUIRED if not getattr(profile, name)]


# --- the applicant's application ----------------------------------------------------------

def application_for(session: Session, event: Event, applicant: User) -> Application | None:
    return session.scalar(select(Application).where(
        Application.event_id == event.id, Application.applicant_id == applicant.id))


def applications_of(session: Session, applicant: User) -> Sequence[Application]:
    return session.scalars(
        select(Application).where(Application.applicant_id == applicant.id)
        .options(joinedload(Application.event), joinedload(Application.track))
        .order_by(Application.created_at.desc())
    ).all()


def start(session: Session, event: Event, applicant: User) -> Application:
    """The applicant's application for the event, created as a draft on first use; a second
    request racing the first finds the row the first created (one per event and applicant)."""
    application = application_for(session, event, applicant)
    if application is not None:
        return application
    profile = profile_of(session, applicant)
    try:
        with session.begin_nested():
            application = Application(event_id=event.id, applicant_id=applicant.id,
                                      status=ApplicationStatus.DRAFT,
                                      country=profile.country_of_residence if profile else "")
            session.add(application)
    except IntegrityError:
        application = application_for(session, event, applicant)
        assert application is not None
    return application


@dataclass
class ProjectData:
    """What the applicant typed; None for a field left as it was (it failed validation)."""

    title_en: str | None = None
    title_zh: str | None = None
    summary: str | None = None
    track_id: int | None | bool = False  # False: unchanged
    stage: str | None | bool = False
    team_size: int | None | bool = False
    funding_sought_cny: Decimal | None | bool = False
    support_sought: str | None = None
    video_url: str | None = None
    district_ids: list[int] | None = None
    #: question id -> text (text/choice) or Decimal (number) or None to clear
    answers: dict[int, Any] = field(default_factory=dict)


def _require_open(application: Application, now: datetime | None) -> None:
    if not event_services.call_is_open(application.event, now):
        raise CallClosedError


def _apply(session: Session, application: Application, data: ProjectData) -> None:
    for name in ("title_en", "title_zh", "summary", "support_sought", "video_url"):
        value = getattr(data, name)
        if value is not None:
            setattr(application, name, value.strip())
    if data.track_id is not False:
        valid = {t.id for t in application.event.tracks}
        application.track_id = data.track_id if data.track_id in valid else None
    if data.stage is not False:
        application.stage = ProjectStage(data.stage) if data.stage else None
    if data.team_size is not False:
        application.team_size = data.team_size  # type: ignore[assignment]
    if data.funding_sought_cny is not False:
        application.funding_sought_cny = data.funding_sought_cny  # type: ignore[assignment]
    if data.district_ids is not None:
        allowed = {d.id for d in application.event.districts} or None
        ids = [i for i in data.district_ids if allowed is None or i in allowed]
        application.districts = list(session.scalars(
            select(District).where(District.id.in_(ids)).order_by(District.id))) if ids else []
    if data.answers:
        by_question = {a.question_id: a for a in application.answers}
        for question in application.event.questions:
            if question.id not in data.answers or question.kind == QuestionKind.FILE:
                continue
            value = data.answers[question.id]
            answer = by_question.get(question.id)
            if answer is None:
                answer = ApplicationAnswer(question_id=question.id)
                application.answers.append(answer)
            if question.kind == QuestionKind.NUMBER:
                answer.number_value = value
            else:
                answer.text_value = (value or "").strip()


def completeness(session: Session, application: Application) -> list[str]:
    """What a submission still lacks: field names, ``deck``, ``profile`` or ``question:<id>``."""
    missing = []
    if not (application.title_en or application.title_zh):
        missing.append("title")
    if not application.summary:
        missing.append("summary")
    if application.track_id is None:
        missing.append("track")
    if application.stage is None:
        missing.append("stage")
    if not application.team_size:
        missing.append("team_size")
    if application.deck is None:
        missing.append("deck")
    answers = {a.question_id: a for a in application.answers}
    for question in application.event.questions:
        if not question.required:
            continue
        answer = answers.get(question.id)
        filled = answer is not None and (
            answer.number_value is not None if question.kind == QuestionKind.NUMBER
            else bool(answer.file_stored_name) if question.kind == QuestionKind.FILE
            else bool(answer.text_value))
        if not filled:
            missing.append(f"question:{question.id}")
    if profile_missing(profile_of(session, application.applicant)):
        missing.append("profile")
    return missing


def save(session: Session, actor: User, application: Application, data: ProjectData, *,
         form_token: str = "", now: datetime | None = None) -> bool:
    """Save what was typed, whatever the status allows, before the close. Returns False when
    this exact form was already applied (a resent form or a double click)."""
    _check_owner(actor, application)
    if form_token and application.last_form_token == form_token:
        return False
    _require_open(application, now)
    if application.status not in EDITABLE:
        raise NotAllowedError
    _apply(session, application, data)
    application.last_form_token = form_token or application.last_form_token
    if application.status == ApplicationStatus.SUBMITTED:
        _snapshot(session, application)
    session.flush()
    return True


def ensure_complete(session: Session, application: Application) -> None:
    """A submitted application must stay complete through its edits."""
    missing = completeness(session, application)
    if missing:
        raise IncompleteError(missing)


def submit(session: Session, actor: User, application: Application, *, form_token: str = "",
           now: datetime | None = None) -> bool:
    """Send the application to the organizers. Returns False when nothing changed (a double
    click or a resent form); the first submission queues the confirmation email."""
    _check_owner(actor, application)
    if application.status == ApplicationStatus.SUBMITTED:
        return False
    _require_open(application, now)
    if application.status not in EDITABLE:
        raise NotAllowedError
    missing = completeness(session, application)
    if missing:
        raise IncompleteError(missing)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now or utcnow()
    application.withdrawn_at = None
    application.last_form_token = form_token or application.last_form_token
    _snapshot(session, application)
    session.flush()
    queue_email(application.applicant, "applications/mail/submitted", _mail_context(application),
                session=session)
    log.info("application %s submitted by user %s", application.id, actor.id)
    return True


def notify_updated(session: Session, application: Application) -> None:
    queue_email(application.applicant, "applications/mail/updated", _mail_context(application),
                session=session)


def withdraw(session: Session, actor: User, application: Application) -> None:
    _check_owner(actor, application)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.DRAFT,
                                  ApplicationStatus.FINALIST):
        raise NotAllowedError
    previous = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = utcnow()
    session.flush()
    # in this unit of work: what other domains undo (a finalist's pitch slot) commits with it
    application_withdrawn.send(current_app._get_current_object(),  # type: ignore[attr-defined]
                               session=session, application=application, actor=actor,
                               previous_status=previous)
    queue_email(application.applicant, "applications/mail/withdrawn",
                _mail_context(application, call_open=event_services.call_is_open(application.event)),
                session=session)
    log.info("application %s withdrawn by user %s", application.id, actor.id)


def _check_owner(actor: User, application: Application) -> None:
    if application.applicant_id != actor.id:
        raise NotAllowedError


def _snapshot(session: Session, application: Application) -> None:
    profile = profile_of(session, application.applicant)
    if profile is not None:
        application.country = profile.country_of_residence


# --- decks and file answers ---------------------------------------------------------------

def attach_deck(session: Session, actor: User | None, application: Application, filename: str,
                data: bytes, *, store: files.FileStore | None = None, max_bytes: int | None = None,
                now: datetime | None = None, check_deadline: bool = True,
                thumbnail: bool = True) -> Deck:
    """Check the bytes, store them under a random name, render the first page, replace the
    previous deck. Raises :class:`files.FileRefusedError` (nothing is stored) or CallClosedError."""
    if actor is not None:
        _check_owner(actor, application)
    if check_deadline:
        _require_open(application, now)
    # parsing and rendering run on the render thread, never on the server's event loop
    checked = rendering.off_loop(files.check, data, files.DECK_TYPES,
                                 max_bytes or deck_max_bytes())
    store = store or deck_store()
    stored_name = files.new_stored_name(checked.content_type)
    store.save(stored_name, data)
    if thumbnail and checked.content_type == files.PDF:
        png = rendering.off_loop(files.render_thumbnail, data)
        if png:
            store.thumbnail_path(stored_name).write_bytes(png)
    old = list(application.decks)
    deck = Deck(original_name=_safe_name(filename, checked.content_type), stored_name=stored_name,
                content_type=checked.content_type, size_bytes=checked.size_bytes,
                sha256=checked.sha256, page_count=checked.page_count)
    application.decks.append(deck)
    for previous in old:
        application.decks.remove(previous)
        store.delete(previous.stored_name)
    session.flush()
    return deck


def attach_answer_file(session: Session, actor: User, application: Application,
                       question: EventQuestion, filename: str, data: bytes, *,
                       now: datetime | None = None) -> ApplicationAnswer:
    _check_owner(actor, application)
    _require_open(application, now)
    checked = rendering.off_loop(files.check, data, files.ANSWER_TYPES, deck_max_bytes())
    store = answer_store()
    stored_name = files.new_stored_name(checked.content_type)
    store.save(stored_name, data)
    answer = next((a for a in application.answers if a.question_id == question.id), None)
    if answer is None:
        answer = ApplicationAnswer(question_id=question.id)
        application.answers.append(answer)
    elif answer.file_stored_name:
        store.delete(answer.file_stored_name)
    answer.file_original_name = _safe_name(filename, checked.content_type)
    answer.file_stored_name = stored_name
    answer.file_content_type = checked.content_type
    answer.file_size_bytes = checked.size_bytes
    answer.file_sha256 = checked.sha256
    session.flush()
    return answer


def _safe_name(filename: str, content_type: str) -> str:
    base = Path(filename or "").name.strip().replace("\x00", "")[:200] or "file"
    extension = files.EXTENSIONS.get(content_type, "")
    if extension and not base.lower().endswith(extension):
        base = base.rsplit(".", 1)[0] + extension if "." in base else base + extension
    return base


# --- the organizer's list -----------------------------------------------------------------

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


def search(session: Session, query: ListQuery) -> Page:
    """One page of the organizer's list: a count and one query for the rows (applicant and
    track joined), plus one for their districts; no query per row."""
    with_user = bool(query.q.strip()) or query.sort == "applicant"
    counted = select(func.count(Application.id)).select_from(Application)
    if with_user:
        counted = counted.join(User, Application.applicant_id == User.id)
    folding = session.get_bind().dialect.name == "sqlite"
    total = session.scalar(_filtered(counted, query, case_folding_like=folding)) or 0
    page = max(1, min(query.page, max(1, math.ceil(total / query.per_page))))
    statement = (_filtered(select(Application).join(User, Application.applicant_id == User.id), query,
                           case_folding_like=folding)
                 .order_by(*SORTS.get(query.sort, SORTS["newest"]))
                 .options(contains_eager(Application.applicant), joinedload(Application.track),
                          selectinload(Application.districts))
                 .limit(query.per_page).offset((page - 1) * query.per_page))
    items = list(session.scalars(statement).unique())
    return Page(items, total, page, query.per_page)


def countries_in(session: Session, event_id: int) -> list[str]:
    return [c for c in session.scalars(
        select(Application.country).where(Application.event_id == event_id, Application.country != "")
        .distinct().order_by(Application.country)) if c]


# --- exports ------------------------------------------------------------------------------

EXPORT_COLUMNS = ("id", "status", "submitted_at", "title_en", "title_zh", "track", "stage",
                  "team_size", "funding_sought_cny", "country", "applicant", "applicant_chinese",
                  "email", "nationality", "institution", "position", "highest_degree",
                  "research_field", "districts", "summary", "support_sought", "video_url",
                  "deck", "deck_sha256")


def export_rows(session: Session, query: ListQuery, zone: str) -> list[list[Any]]:
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
    rows = session.execute(statement).all()
    ids = [r[0] for r in rows]
    districts: dict[int, list[str]] = defaultdict(list)
    decks: dict[int, tuple[str, str]] = {}
    if ids:
        for app_id, code in session.execute(
                select(application_districts.c.application_id, District.code)
                .join(District, District.id == application_districts.c.district_id)
                .join(Application, Application.id == application_districts.c.application_id)
                .where(Application.event_id == query.event_id)
                .order_by(application_districts.c.application_id, District.id)):
            districts[app_id].append(code)
        for app_id, name, sha in session.execute(
                select(Deck.application_id, Deck.original_name, Deck.sha256)
                .join(Application, Application.id == Deck.application_id)
                .where(Application.event_id == query.event_id).order_by(Deck.uploaded_at)):
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


# --- statistics ---------------------------------------------------------------------------

@dataclass
class Statistics:
    by_country: list[tuple[str, int]]
    by_track: list[tuple[int | None, int]]
    by_day: list[tuple[date, int]]
    by_district: list[tuple[int, int]]
    funnel: list[tuple[str, int]]
    total_received: int


def statistics(session: Session, event: Event) -> Statistics:
    received = and_(Application.event_id == event.id, Application.status.in_(RECEIVED),
                    Application.status != ApplicationStatus.WITHDRAWN)
    by_country = session.execute(
        select(Application.country, func.count()).where(received)
        .group_by(Application.country).order_by(func.count().desc(), Application.country)).all()
    by_track = dict(session.execute(
        select(Application.track_id, func.count()).where(received).group_by(Application.track_id)).all())
    tz = ZoneInfo(event.timezone)
    days: Counter[date] = Counter(
        moment.astimezone(tz).date() for moment in session.scalars(
            select(Application.submitted_at).where(received, Application.submitted_at.is_not(None))))
    by_district = session.execute(
        select(application_districts.c.district_id, func.count())
        .join(Application, Application.id == application_districts.c.application_id)
        .where(received).group_by(application_districts.c.district_id)
        .order_by(func.count().desc())).all()
    status_counts = dict(session.execute(
        select(Application.status, func.count()).where(Application.event_id == event.id)
        .group_by(Application.status)).all())
    started = sum(status_counts.values())
    ever_submitted = session.scalar(select(func.count()).select_from(Application).where(
        Application.event_id == event.id, Application.submitted_at.is_not(None))) or 0
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
