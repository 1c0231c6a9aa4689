"""What the live room's docking tells people (issue 17): an applicant that a district asked a
follow-up question, and each participant of a follow-up talk that was arranged."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.live.models import DockingRequest
from roadshow.mail.outbox import CalendarPart
from roadshow.notifications import kinds
from roadshow.notifications.services import notify

FOLLOW_UP = kinds.register(kinds.NotificationKind(
    "docking_follow_up", _l("A district's follow-up request"),
    _l("%(district)s asked to follow up on “%(project)s”."), audience="applicant"))
MEETING = kinds.register(kinds.NotificationKind(
    "docking_meeting", _l("A follow-up talk arranged with me"),
    _l("A follow-up talk on “%(project)s” with %(district)s was arranged."),
    audience="everyone"))


def _params(request: DockingRequest) -> dict[str, Any]:
    application, district = request.application, request.district
    return {"project_zh": application.title_zh, "project_en": application.title_en,
            "district_zh": district.name_zh, "district_en": district.name_en}


def tell_follow_up(session: Session, request: DockingRequest, url: str,
                   context: dict[str, Any]) -> None:
    event = request.application.event
    notify(session, request.application.applicant, FOLLOW_UP.name, url=url,
           params=_params(request), organisation_id=event.organisation_id, event_id=event.id,
           email_template="live/mail/follow_up", email_context=context)


def tell_meeting(session: Session, request: DockingRequest, person: User, url: str,
                 context: dict[str, Any], calendar: CalendarPart) -> None:
    event = request.application.event
    notify(session, person, MEETING.name, url=url, params=_params(request),
           organisation_id=event.organisation_id, event_id=event.id,
           email_template="live/mail/meeting", email_context=context, calendar=calendar)
