"""The applicant's application: start a draft, save it, submit, edit, withdraw, and the emails
that confirm each.

Every write takes the session and the acting user; the deadline is the server's to enforce, in
the event's zone (see :mod:`roadshow.events.phases`). Views commit once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from roadshow.accounts.models import User
from roadshow.applications import notices
from roadshow.applications.exceptions import CallClosedError, IncompleteError, NotAllowedError
from roadshow.applications.models import (
    Application,
    ApplicationAnswer,
    ApplicationStatus,
    ProjectStage,
)
from roadshow.applications.policy import PROJECT_PARTS, required_fields
from roadshow.applications.profiles import profile_missing, profile_of
from roadshow.applications.signals import application_withdrawn
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events import services as event_services
from roadshow.events.models import Event, QuestionKind
from roadshow.mail.outbox import queue_email
from roadshow.scoping import scoped, unscoped

log = logging.getLogger("roadshow.applications")
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for emails, built without a request (services also run from the CLI)."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return current_app.config["PUBLIC_BASE_URL"] + adapter.build(endpoint, values)


def _mail_context(application: Application, **extra: Any) -> dict[str, Any]:
    return {"application": application, "event": application.event,
            "status_link": link("applications.status", event_slug=application.event.slug,
                                application_id=application.id),
            "form_link": link("applications.form", event_slug=application.event.slug),
            **_change_window(application.event), **extra}


def _change_window(event: Event) -> dict[str, Any]:
    """Until when the email says the application may change: the close date while it lies ahead;
    once the organizers reopened the call by hand past that date, until they close it."""
    info = event_services.phase_info(event)
    if info.call_open_by_hand:
        return {"closes_at": None, "call_open_by_hand": True}
    return {"closes_at": info.call_closes_at, "call_open_by_hand": False}


def application_for(session: Session, event: Event, applicant: User) -> Application | None:
    return session.scalar(scoped(select(Application).where(
        Application.event_id == event.id, Application.applicant_id == applicant.id), event))


def applications_of(session: Session, applicant: User) -> Sequence[Application]:
    """The applicant's applications to every event of every office, newest first: one account,
    one profile, many calls over the years."""
    return session.scalars(unscoped(
        select(Application).where(Application.applicant_id == applicant.id)
        .options(joinedload(Application.event), joinedload(Application.track))
        .order_by(Application.created_at.desc(), Application.id.desc()),
        "an applicant's own applications, across every event")
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


def require_open(application: Application, now: datetime | None) -> None:
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
    """What a submission still lacks: field names, ``deck``, ``profile`` or ``question:<id>``;
    a registration (a symposium, a promotion event) asks no project (:func:`policy.required_fields`)."""
    needed = required_fields(application.event)
    lacking = {
        "title": not (application.title_en or application.title_zh),
        "summary": not application.summary,
        "track": application.track_id is None,
        "stage": application.stage is None,
        "team_size": not application.team_size,
        "deck": application.deck is None,
    }
    missing = [part for part in PROJECT_PARTS if part in needed and lacking[part]]
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
    check_owner(actor, application)
    if form_token and application.last_form_token == form_token:
        return False
    require_open(application, now)
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
    check_owner(actor, application)
    if application.status == ApplicationStatus.SUBMITTED:
        return False
    require_open(application, now)
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
    notices.receipt(session, application, _mail_context(application))
    notices.tell_districts(session, application)
    log.info("application %s submitted by user %s", application.id, actor.id)
    return True


def notify_updated(session: Session, application: Application) -> None:
    queue_email(application.applicant, "applications/mail/updated", _mail_context(application),
                session=session)


def withdraw(session: Session, actor: User, application: Application) -> None:
    check_owner(actor, application)
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


def check_owner(actor: User, application: Application) -> None:
    if application.applicant_id != actor.id:
        raise NotAllowedError


def _snapshot(session: Session, application: Application) -> None:
    profile = profile_of(session, application.applicant)
    if profile is not None:
        application.country = profile.country_of_residence
