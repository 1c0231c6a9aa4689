"""The applicant's to-dos per event for the dashboard's cards (issue 13, §4): each application's
path (submitted, in review, finalist, not selected, withdrawn), an unfinished form to submit
before the call closes, and the profile a submission still needs. One query over every event
the user applied to, whatever their number."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications import policy, profiles
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events import services as event_services
from roadshow.events.models import Event, PhaseKind
from roadshow.events.todos import Todo
from roadshow.scoping import across


def _path(application: Application, event: Event) -> Todo:
    """Where the application stands, as an informing line (count 0)."""
    registration = policy.is_registration(event)
    status = application.status
    if status == ApplicationStatus.SUBMITTED:
        in_review = event_services.phase_state(event).current == PhaseKind.REVIEW.value
        label = (_("Registered.") if registration
                 else _("Submitted: the organizers are reviewing the applications.") if in_review
                 else _("Submitted."))
    elif status == ApplicationStatus.FINALIST:
        label = _("Finalist: you pitch at the roadshow.")
    elif status == ApplicationStatus.NOT_SELECTED:
        label = _("Not selected this time.")
    elif status == ApplicationStatus.WITHDRAWN:
        label = _("Withdrawn.")
    else:
        label = _("Draft, not submitted before the call closed.")
    return Todo("application_path", 0, label, "applications.status",
                url_values={"application_id": application.id})


def todos(session: Session, user: User, grants: dict[int, Any]) -> dict[int, list[Todo]]:
    """Per event where the user is an applicant and applied: the path, and what is unfinished."""
    event_ids = [event_id for event_id, grant in grants.items() if Role.APPLICANT in grant.roles]
    if not event_ids:
        return {}
    applications = session.scalars(across(
        select(Application).where(Application.applicant_id == user.id,
                                  Application.event_id.in_(event_ids))
        .options(joinedload(Application.event)), event_ids)).all()
    if not applications:
        return {}
    profile_gaps = profiles.profile_missing(profiles.profile_of(session, user))
    found: dict[int, list[Todo]] = defaultdict(list)
    for application in applications:
        event = application.event
        if application.status == ApplicationStatus.DRAFT and event_services.call_is_open(event):
            closes = event_services.call_closes_at(event)
            found[event.id].append(Todo(
                "application_unfinished", 1,
                _("Finish your registration and send it.") if policy.is_registration(event)
                else _("Finish your application and submit it before the call closes."),
                "applications.form", due_at=closes))
            if profile_gaps:
                found[event.id].append(Todo("profile_incomplete", 1,
                                            _("Complete your applicant profile: it is needed to submit."),
                                            "applications.profile", due_at=closes))
        else:
            found[event.id].append(_path(application, event))
    return dict(found)
