"""What the live rooms ask of a person in each of their events, for the dashboard's cards
(issue 13, §4): a room open now that they may enter, and each district's request for a talk
that an applicant has not answered yet.

Two queries over all the person's events at once (never one per event), and the room check
of each open room's session."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.events.todos import Todo
from roadshow.live.bilingual import localized
from roadshow.live.membership import membership
from roadshow.live.models import DockingRequest, LiveRoom
from roadshow.organisations.grants import Grant
from roadshow.scheduling.models import PitchSession
from roadshow.scoping import across


def todos(session: Session, user: User, grants: dict[int, Grant]) -> dict[int, list[Todo]]:
    out: dict[int, list[Todo]] = {}
    if not grants:
        return out
    open_now = session.scalars(across(
        select(PitchSession).join(LiveRoom, LiveRoom.session_id == PitchSession.id)
        .where(LiveRoom.opened_at.is_not(None), LiveRoom.closed_at.is_(None))
        .order_by(PitchSession.starts_at, PitchSession.id), list(grants)))
    for pitch_session in open_now:
        if membership(session, user, grants[pitch_session.event_id], pitch_session) is None:
            continue
        out.setdefault(pitch_session.event_id, []).append(Todo(
            "live_now", 0, _("Live now: %(title)s", title=localized(pitch_session, "title")),
            "live.room", url_values={"session_id": pitch_session.id}))
    applying = [event_id for event_id, grant in grants.items() if Role.APPLICANT in grant.roles]
    if applying:
        waiting = session.scalars(across(
            select(DockingRequest).join(Application, Application.id == DockingRequest.application_id)
            .where(Application.applicant_id == user.id, DockingRequest.answer.is_(None))
            .options(selectinload(DockingRequest.district), selectinload(DockingRequest.application))
            .order_by(DockingRequest.created_at.desc(), DockingRequest.id.desc()), applying))
        for request in waiting:
            out.setdefault(request.event_id, []).append(Todo(
                "follow_up", 1,
                _("%(district)s: %(project)s", district=localized(request.district, "name"),
                  project=localized(request.application, "title")),
                "live.answer_request", url_values={"request_id": request.id}))
    return out
