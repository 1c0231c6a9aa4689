"""District docking in the room: a district's interest in the project on stage, the docking
board, and arranging a follow-up meeting."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.live import state as stage
from roadshow.live.bilingual import both, localized, names
from roadshow.live.client_input import clean_input
from roadshow.live.exceptions import LiveError
from roadshow.live.followup import notify_applicant
from roadshow.live.membership import DISTRICT, PRESENTER, Member
from roadshow.live.models import DockingKind, DockingRequest, LiveEvent, LiveRoom
from roadshow.live.room_events import append_event, load_stage
from roadshow.live.throttle import NOTE_MAX_CHARS, merge_note
from roadshow.organisations.grants import Grant
from roadshow.review.models import DistrictInterest, InterestLevel
from roadshow.scoping import scoped


def docking_view(request: DockingRequest) -> dict[str, Any]:
    project, district = both(request.application, "title"), both(request.district, "name")
    return {"id": request.id, "application_id": request.application_id,
            "project": localized(request.application, "title"),
            "project_en": project["title_en"], "project_zh": project["title_zh"],
            "district_id": request.district_id, "district": localized(request.district, "name"),
            "district_en": district["name_en"], "district_zh": district["name_zh"],
            "recruiter": request.recruiter.display_name if request.recruiter else "",
            **names(request.recruiter, "recruiter"),
            "kind": request.kind.value, "note": request.note,
            "at": request.created_at.isoformat()}


def dock(session: Session, room: LiveRoom, member: Member, recruiter: User, kind: object,
         note: object, action_id: str | None = None) -> LiveEvent:
    """A district marks interest in the project on stage or asks for a follow-up talk."""
    if member.role != DISTRICT or member.district_id is None:
        raise LiveError("not_district")
    try:
        docking_kind = DockingKind(kind)
    except ValueError as error:
        raise LiveError("bad_request") from error
    current = load_stage(room)
    application_id = stage.presenter_on_stage(current)
    if application_id is None:
        raise LiveError("no_project_on_stage")
    application = session.get(Application, application_id)
    if application is None:
        raise LiveError("no_project_on_stage")
    text = ""
    if note not in (None, ""):
        text = clean_input(note, NOTE_MAX_CHARS)
    request = session.scalar(select(DockingRequest).where(
        DockingRequest.application_id == application.id,
        DockingRequest.district_id == member.district_id, DockingRequest.kind == docking_kind))
    created = request is None
    if request is None:
        request = DockingRequest(room_id=room.id, event_id=application.event_id,
                                 application_id=application.id, district_id=member.district_id,
                                 recruiter_id=recruiter.id, kind=docking_kind, note=text)
        session.add(request)
    else:
        request.note = text or request.note
        request.recruiter_id = recruiter.id
    _merge_district_interest(session, application, member.district_id, recruiter, docking_kind, text)
    session.flush()
    session.refresh(request)
    if created:  # the applicant learns of it by email too, and answers from the link in it
        notify_applicant(session, request, utcnow())
    return append_event(session, room, "docking", {"request": docking_view(request)},
                        actor_id=member.user_id, action_id=action_id,
                        audience=f"host,user:{application.applicant_id},district:{member.district_id}")


def _merge_district_interest(session: Session, application: Application, district_id: int,
                             recruiter: User, kind: DockingKind, note: str) -> None:
    """The review's docking table learns what the district said live (never lowering it)."""
    level = InterestLevel.STRONG if kind == DockingKind.TALK else InterestLevel.INTERESTED
    interest = session.scalar(select(DistrictInterest).where(
        DistrictInterest.application_id == application.id,
        DistrictInterest.district_id == district_id))
    if interest is None:
        session.add(DistrictInterest(application_id=application.id, district_id=district_id,
                                     recruiter_id=recruiter.id, level=level, note=note))
        return
    order = [InterestLevel.NONE, InterestLevel.INTERESTED, InterestLevel.STRONG]
    if order.index(level) > order.index(interest.level):
        interest.level = level
    interest.note = merge_note(interest.note or "", note)


def _board(session: Session, event_id: int, *, everything: bool = False,
           district_ids: Collection[int] = (), applicant_id: int | None = None,
           application_ids: Collection[int] | None = None) -> list[DockingRequest]:
    query = (select(DockingRequest).where(DockingRequest.event_id == event_id)
             .order_by(DockingRequest.created_at.desc(), DockingRequest.id.desc()))
    if application_ids is not None:
        if not application_ids:
            return []
        query = query.where(DockingRequest.application_id.in_(sorted(application_ids)))
    if everything:
        pass
    elif district_ids:
        query = query.where(DockingRequest.district_id.in_(sorted(district_ids)))
    elif applicant_id is not None:
        query = query.join(Application, Application.id == DockingRequest.application_id).where(
            Application.applicant_id == applicant_id)
    else:
        return []
    return list(session.scalars(scoped(query, event_id)))


def docking_board(session: Session, viewer: User, grant: Grant, event_id: int,
                  application_ids: Collection[int] | None = None) -> list[DockingRequest]:
    """Who wants to talk with whom in one event: all for its organizers, one's district for
    its recruiters, one's own projects for applicants; only about ``application_ids`` when
    given (a room's projects). ``grant`` is the viewer's in that event."""
    if grant.event_id != event_id:
        return []
    if Role.ORGANIZER in grant.roles:
        return _board(session, event_id, everything=True, application_ids=application_ids)
    if Role.RECRUITER in grant.roles:
        return _board(session, event_id, district_ids=grant.district_ids,
                      application_ids=application_ids)
    if Role.APPLICANT in grant.roles:
        return _board(session, event_id, applicant_id=viewer.id, application_ids=application_ids)
    return []


def room_board(session: Session, member: Member, event_id: int,
               application_ids: Collection[int]) -> list[DockingRequest]:
    """The room's panel of requests about its projects, as the member may see them: all for
    the host, their district's for a district, their own projects' for a presenter."""
    if member.is_host:
        return _board(session, event_id, everything=True, application_ids=application_ids)
    if member.role == DISTRICT and member.district_id is not None:
        return _board(session, event_id, district_ids=[member.district_id],
                      application_ids=application_ids)
    if member.role == PRESENTER:
        return _board(session, event_id, applicant_id=member.user_id,
                      application_ids=application_ids)
    return []


def may_arrange_meeting(grant: Grant, request: DockingRequest) -> bool:
    """The event's organizers, and recruiters of the request's district in it."""
    if grant.event_id != request.event_id:
        return False
    if Role.ORGANIZER in grant.roles:
        return True
    return Role.RECRUITER in grant.roles and request.district_id in grant.district_ids


def arrange_meeting(session: Session, request: DockingRequest, actor: User, grant: Grant,
                    starts_at: datetime, minutes: int, url: str) -> DockingRequest:
    """Turn a docking request into a meeting; the invitations go out by email with an .ics."""
    if not may_arrange_meeting(grant, request):
        raise LiveError("not_allowed")
    request.meeting_starts_at = starts_at
    request.meeting_ends_at = starts_at + timedelta(minutes=minutes)
    request.meeting_url = url
    if not request.meeting_uid:
        request.meeting_uid = f"docking-{secrets.token_hex(10)}"
    else:
        request.meeting_sequence += 1
    request.invited_at = utcnow()
    session.flush()
    return request
