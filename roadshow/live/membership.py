"""Who is in a live room: a user's part in a session's room (decided from the database, never
from the client), the sessions whose rooms they may enter, and which are live now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.events.models import Event
from roadshow.live.models import LiveRoom
from roadshow.organisations import grants
from roadshow.organisations.grants import Grant
from roadshow.scheduling import rooms
from roadshow.scheduling.models import PitchSession, SessionAttendance, SessionStatus, Slot
from roadshow.scoping import across, scoped

HOST, JUDGE, DISTRICT, PRESENTER, VIEWER = "host", "judge", "district", "presenter", "viewer"


@dataclass(frozen=True, slots=True)
class Member:
    """What a user is in one live room (decided from the database, never from the client)."""

    user_id: int
    role: str
    #: applications this user presents in the session (applicants only)
    presents: frozenset[int] = frozenset()
    district_id: int | None = None
    #: the session's event is archived: the room's record may be read, nothing done in it
    read_only: bool = False

    @property
    def is_host(self) -> bool:
        return self.role == HOST


def membership(session: Session, user: User, grant: Grant,
               pitch_session: PitchSession) -> Member | None:
    """The user's part in the session's room, or None when they are not of its audience;
    ``grant`` is the user's in the session's event.

    The event's organizers host; its judges and district recruiters are the roadshow's audience
    and may join every published session; applicants join the sessions where they pitch or that
    they were invited to attend.
    """
    if not user.is_active or grant.event_id != pitch_session.event_id:
        return None
    read_only = grant.read_only
    if Role.ORGANIZER in grant.roles:
        return Member(user.id, HOST, read_only=read_only)
    if pitch_session.status != SessionStatus.PUBLISHED:
        return None
    if Role.JUDGE in grant.roles:
        return Member(user.id, JUDGE, read_only=read_only)
    if Role.RECRUITER in grant.roles:
        if not grant.district_ids:
            return Member(user.id, VIEWER, read_only=read_only)
        return Member(user.id, DISTRICT, district_id=min(grant.district_ids), read_only=read_only)
    presents = frozenset(session.scalars(scoped(
        select(Slot.application_id)
        .join(Application, Application.id == Slot.application_id)
        .where(Slot.session_id == pitch_session.id, Application.applicant_id == user.id),
        pitch_session.event_id)))
    if presents:
        return Member(user.id, PRESENTER, presents=presents, read_only=read_only)
    attends = session.scalar(scoped(select(SessionAttendance.id).where(
        SessionAttendance.session_id == pitch_session.id, SessionAttendance.user_id == user.id),
        pitch_session.event_id))
    return Member(user.id, VIEWER, read_only=read_only) if attends else None


def sessions_for(session: Session, user: User, grant: Grant, event: Event) -> list[PitchSession]:
    """The sessions of ``event`` whose rooms the user may enter, in time order."""
    query = (select(PitchSession).where(PitchSession.event_id == event.id)
             .order_by(PitchSession.starts_at, PitchSession.id))
    if Role.ORGANIZER not in grant.roles:
        query = query.where(PitchSession.status == SessionStatus.PUBLISHED)
    found = list(session.scalars(scoped(query, event)))
    return [s for s in found if membership(session, user, grant, s) is not None]


def sessions_across(session: Session, user: User,
                    grants: dict[int, Grant]) -> list[PitchSession]:
    """The sessions of every event in ``grants`` (event id -> the user's grant there) whose
    rooms the user may enter, in time order: one query for the sessions of all of them."""
    if not grants:
        return []
    found = session.scalars(across(
        select(PitchSession).options(selectinload(PitchSession.event))
        .order_by(PitchSession.starts_at, PitchSession.id), grants))
    return [s for s in found if membership(session, user, grants[s.event_id], s) is not None]


def live_sessions_now(session: Session, user: User, grants: dict[int, Grant],
                      now: datetime) -> list[tuple[PitchSession, bool]]:
    """Sessions of today and later for the dashboard card and the list of rooms; True when the
    room is open now."""
    coming = [s for s in sessions_across(session, user, grants)
              if s.ends_at >= now - timedelta(hours=2)]
    if not coming:
        return []
    rooms_by_session = {room.session_id: room for room in session.scalars(across(
        select(LiveRoom).where(LiveRoom.session_id.in_([s.id for s in coming])),
        {s.event_id for s in coming}))}
    rows = []
    for pitch_session in coming:
        room = rooms_by_session.get(pitch_session.id)
        rows.append((pitch_session, bool(room and room.opened_at and not room.closed_at)))
    return rows


def may_enter(session: Session, user: User, pitch_sessions: list[PitchSession]) -> set[int]:
    """The sessions whose rooms the user may enter (scheduling's programme links them); the
    user's grant is loaded once per event."""
    by_event: dict[int, Grant] = {}
    found = set()
    for pitch_session in pitch_sessions:
        if pitch_session.event_id not in by_event:
            by_event[pitch_session.event_id] = grants.in_event(session, user, pitch_session.event)
        if membership(session, user, by_event[pitch_session.event_id], pitch_session) is not None:
            found.add(pitch_session.id)
    return found


rooms.ADMISSIONS.append(may_enter)
