"""What the applications tell people (issue 17): the applicant's receipt, and the recruiters of
each district an application chose that a new application came in."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.notifications import kinds
from roadshow.notifications.models import Channel
from roadshow.notifications.services import notify, page
from roadshow.organisations.models import EventRole, EventRoleKind

RECEIVED = kinds.register(kinds.NotificationKind(
    "application_received", _l("The receipt of my application"),
    _l("Your application “%(project)s” to %(event)s was received."), audience="applicant"))
NEW_APPLICATION = kinds.register(kinds.NotificationKind(
    "district_new_application", _l("A new application chose my district"),
    _l("A new application chose %(district)s: “%(project)s” (%(event)s)."),
    audience="district", default=Channel.DIGEST))


def _names(application: Application) -> dict[str, Any]:
    event = application.event
    return {"project_zh": application.title_zh, "project_en": application.title_en,
            "event_zh": event.title_zh, "event_en": event.title_en}


def receipt(session: Session, application: Application, mail_context: dict[str, Any]) -> None:
    """The applicant's receipt, in the app and by mail, at each submission."""
    event = application.event
    notify(session, application.applicant, RECEIVED.name,
           url=page("applications.status", event_slug=event.slug, application_id=application.id),
           params=_names(application), organisation_id=event.organisation_id, event_id=event.id,
           email_template="applications/mail/submitted", email_context=mail_context)


def tell_districts(session: Session, application: Application) -> int:
    """Tell the recruiters of each district the application chose; returns how many people."""
    event = application.event
    told = 0
    for district in application.districts:
        recruiters = session.scalars(
            select(User).join(EventRole, EventRole.user_id == User.id)
            .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.RECRUITER,
                   EventRole.district_id == district.id, User.active.is_(True)).distinct()).all()
        for recruiter in recruiters:
            made = notify(
                session, recruiter, NEW_APPLICATION.name,
                url=page("review.docking_application", event_slug=event.slug,
                         application_id=application.id),
                params={**_names(application), "district_zh": district.name_zh,
                        "district_en": district.name_en},
                organisation_id=event.organisation_id, event_id=event.id,
                dedupe_key=f"district_new_application:{application.id}:{district.id}",
                email_template="applications/mail/district_new",
                email_context={"application": application, "event": event, "district": district,
                               "person": recruiter,
                               "docking_path": page("review.docking_application",
                                                    event_slug=event.slug,
                                                    application_id=application.id)})
            told += made is not None
    return told
