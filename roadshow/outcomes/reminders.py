"""Reminding the responsible unit of each overdue milestone, once (``roadshow outcomes remind``,
run daily by cron or a periodic job; the clock is passed in)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.db import utcnow
from roadshow.districts.services import recruiters_of
from roadshow.mail.outbox import queue_email
from roadshow.outcomes import notices
from roadshow.outcomes.models import Milestone, MilestoneState, Project
from roadshow.outcomes.projects import local_today, open_missing
from roadshow.outcomes.rules import days_late, is_overdue
from roadshow.scoping import unscoped
from roadshow.signing.models import Intent


def _project_url(milestone: Milestone) -> str:
    intent = milestone.project.intent
    event = intent.application.event
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for("outcomes.project", org_slug=event.organisation.slug, intent_id=intent.id,
                       _external=True)


def remind_overdue(session: Session, now: datetime | None = None) -> int:
    """Open projects a sealed intent still lacks, then mail the recruiters of the responsible
    unit of every milestone overdue and not yet reminded; returns how many mails were queued."""
    now = now or utcnow()
    open_missing(session, now)
    candidates = session.scalars(unscoped(
        select(Milestone).where(Milestone.state != MilestoneState.CONFIRMED,
                                Milestone.reminded_at.is_(None))
        .options(selectinload(Milestone.project).selectinload(Project.intent)
                 .selectinload(Intent.application))
        .order_by(Milestone.due_on, Milestone.id),
        "the reminder run looks at every event's open milestones")).all()
    sent = 0
    #: per office, the milestones newly overdue in this run (their organizers are told once)
    offices: dict[int, list[Milestone]] = {}
    for milestone in candidates:
        event = milestone.project.intent.application.event
        today = local_today(event.organisation.timezone, now)
        if not is_overdue(milestone.due_on, False, today):
            continue
        offices.setdefault(event.organisation_id, []).append(milestone)
        url = _project_url(milestone)
        for person in recruiters_of(session, milestone.responsible_district):
            if not person.active:
                continue
            queue_email(person, "outcomes/mail/overdue",
                        {"person": person, "milestone": milestone, "intent": milestone.project.intent,
                         "days": days_late(milestone.due_on, today), "url": url},
                        session=session)
            sent += 1
        milestone.reminded_at = now
    for late in offices.values():
        oldest = late[0]  # by deadline
        application = oldest.project.intent.application
        organisation = application.event.organisation
        notices.tell_office(session, organisation, len(late), {
            "milestone_zh": oldest.name_zh, "milestone_en": oldest.name_en,
            "project_zh": application.title_zh, "project_en": application.title_en},
            local_today(organisation.timezone, now), now=now)
    return sent
