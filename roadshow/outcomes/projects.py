"""Opening a sealed intent's project with the office's milestones, the office's milestone
templates, and which projects and milestones a person may follow.

A project opens when signing announces a sealed intent (``intent_completed``, connected by
:func:`connect`), in its own transaction; :func:`open_missing` opens any that a sealed intent
still lacks (the demo, and the reminder run, so that nothing is missed if the announcement was).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.organisations.models import Organisation
from roadshow.outcomes.models import Milestone, MilestoneTemplate, Project
from roadshow.outcomes.rules import DEFAULT_MILESTONES
from roadshow.scoping import across, unscoped
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent
from roadshow.signing.signals import intent_completed

log = logging.getLogger("roadshow.outcomes")


class OutcomeError(Exception):
    """A refused change, with a message in the user's language; ``field`` names the input."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class OutcomeForbiddenError(Exception):
    """The actor may not see or change this row."""


# --- who may follow what ---------------------------------------------------------------------

def is_organizer(grant: Any) -> bool:
    return Role.ORGANIZER in grant.roles


def may_follow(grant: Any, district_id: int) -> bool:
    """Organizers follow every unit's work; a district's recruiters their own unit's."""
    return is_organizer(grant) or district_id in grant.district_ids


def local_today(zone: str, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(zone or "Asia/Shanghai")).date()


# --- the office's templates --------------------------------------------------------------------

def templates_of(session: Session, organisation_id: int, *, active_only: bool = False,
                 ) -> list[MilestoneTemplate]:
    stmt = select(MilestoneTemplate).where(MilestoneTemplate.organisation_id == organisation_id)
    if active_only:
        stmt = stmt.where(MilestoneTemplate.active.is_(True))
    return list(session.scalars(stmt.order_by(MilestoneTemplate.position, MilestoneTemplate.id)))


def ensure_templates(session: Session, organisation_id: int) -> list[MilestoneTemplate]:
    """The office's templates, the defaults saved first if it has none."""
    existing = templates_of(session, organisation_id)
    if existing:
        return existing
    made = [MilestoneTemplate(organisation_id=organisation_id, code=d.code, name_zh=d.name_zh,
                              name_en=d.name_en, position=n, due_days=d.due_days)
            for n, d in enumerate(DEFAULT_MILESTONES, start=1)]
    session.add_all(made)
    session.flush()
    return made


def save_template(session: Session, organisation: Organisation, template: MilestoneTemplate | None,
                  *, name_zh: str, name_en: str, position: int | None, due_days: int | None,
                  active: bool) -> MilestoneTemplate:
    """Add or change one of the office's milestones; projects already open keep theirs."""
    name_zh, name_en = (name_zh or "").strip(), (name_en or "").strip()
    if not name_zh or not name_en:
        raise OutcomeError(_("Give the milestone's name in Chinese and in English."),
                           "name_zh" if not name_zh else "name_en")
    if due_days is None or not 0 <= due_days <= 3650:
        raise OutcomeError(_("The deadline is a number of days after the seal, from 0 to 3650."),
                           "due_days")
    if template is None:
        existing = templates_of(session, organisation.id)
        codes = {t.code for t in existing}
        number = len(existing) + 1
        while f"custom_{number}" in codes:
            number += 1
        template = MilestoneTemplate(organisation_id=organisation.id, code=f"custom_{number}",
                                     position=position or number)
        session.add(template)
    template.name_zh, template.name_en = name_zh[:120], name_en[:160]
    template.due_days = due_days
    template.active = active
    if position is not None:
        template.position = position
    session.flush()
    return template


# --- opening projects --------------------------------------------------------------------------

def open_project(session: Session, intent: Intent, now: datetime | None = None) -> Project | None:
    """The sealed intent's project with the office's milestones (once; None if not sealed)."""
    if intent.state != IntentState.COMPLETED:
        return None
    existing = session.scalar(unscoped(select(Project).where(Project.intent_id == intent.id),
                                       "a sealed intent's project, looked up by the intent"))
    if existing is not None:
        return existing
    event = intent.application.event
    now = now or utcnow()
    sealed = intent.sealed_at or intent.completed_at or now
    start = local_today(event.organisation.timezone, sealed)
    project = Project(event_id=event.id, intent_id=intent.id, district_id=intent.district_id,
                      opened_at=now)
    for n, template in enumerate(ensure_templates(session, event.organisation_id), start=1):
        if not template.active:
            continue
        project.milestones.append(Milestone(
            event_id=event.id, code=template.code, name_zh=template.name_zh,
            name_en=template.name_en, position=n, responsible_district_id=intent.district_id,
            due_on=start + timedelta(days=template.due_days)))
    session.add(project)
    session.flush()
    return project


def open_missing(session: Session, now: datetime | None = None,
                 event_ids: list[int] | None = None) -> int:
    """Open the project of every sealed intent that has none; returns how many."""
    stmt = (select(Intent).where(Intent.state == IntentState.COMPLETED,
                                 ~Intent.id.in_(select(Project.intent_id))).order_by(Intent.id))
    stmt = across(stmt, event_ids) if event_ids is not None else unscoped(
        stmt, "the outcomes run opens the projects of every event's sealed intents")
    opened = 0
    for intent in session.scalars(stmt).all():
        if open_project(session, intent, now) is not None:
            opened += 1
    return opened


def _on_completed(_sender: Any, intent_id: int | None = None, **_kwargs: Any) -> None:
    """signing's ``intent_completed``: open the project, in a transaction of its own."""
    if intent_id is None:
        return
    with Session(db.engine) as session:
        intent = session.scalar(unscoped(select(Intent).where(Intent.id == intent_id),
                                         "the intent signing announced as sealed"))
        if intent is not None:
            open_project(session, intent)
            session.commit()


def connect() -> None:
    """Idempotent: blinker connects a receiver once."""
    intent_completed.connect(_on_completed)


# --- reading ---------------------------------------------------------------------------------------

def office_event_ids(session: Session, organisation: Organisation) -> list[int]:
    return list(session.scalars(select(Event.id).where(
        Event.organisation_id == organisation.id).order_by(Event.id)))


def projects_of(session: Session, organisation: Organisation, grant: Any,
                district_id: int | None = None, event_id: int | None = None) -> list[Project]:
    """The office's projects the actor follows, newest first, with their milestones."""
    ids = office_event_ids(session, organisation)
    if event_id is not None:
        ids = [i for i in ids if i == event_id]
    stmt = (select(Project).options(selectinload(Project.milestones),
                                    selectinload(Project.intent).selectinload(Intent.application),
                                    selectinload(Project.district))
            .order_by(Project.opened_at.desc(), Project.id.desc()))
    if district_id is not None:
        stmt = stmt.where(Project.id.in_(select(Milestone.project_id).where(
            Milestone.responsible_district_id == district_id)) | (Project.district_id == district_id))
    if not is_organizer(grant):
        units = list(grant.district_ids)
        stmt = stmt.where(Project.id.in_(select(Milestone.project_id).where(
            Milestone.responsible_district_id.in_(units))) | Project.district_id.in_(units))
    return list(session.scalars(across(stmt, ids)).all())


def project_of_intent(session: Session, intent: Intent) -> Project | None:
    return session.scalar(across(select(Project).where(Project.intent_id == intent.id),
                                 [intent.application.event_id]))


def check_may_see(grant: Any, project: Project) -> None:
    if is_organizer(grant):
        return
    units = {project.district_id, *(m.responsible_district_id for m in project.milestones)}
    if not units & set(grant.district_ids):
        raise OutcomeForbiddenError("the project is no unit's of the actor")
