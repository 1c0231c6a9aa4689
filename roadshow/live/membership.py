"""Who is in a live room: a user's part in a session's room (decided from the database, never
from the client), the sessions whose rooms they may enter, and which are live now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.live.models import LiveRoom
from roadshow.scheduling import rooms
from roadshow.scheduling.models import PitchSession, SessionAttendance, SessionStatus, Slot

HOST, JUDGE, DISTRICT, PRESENTER, VIEWER = "host", "judge", "district", "presenter", "viewer"


@dataclass(frozen=True, slots=True)
class Member:
    """What a user is in one live room (decided from the database, never from the client)."""

    user_id: int
    role: str
    #: applications this user presents in the session (applicants only)
    presents: frozenset[int] = frozenset()
    district_id: int | None = None

    @property
    def is_host(self) -> bool:
        return self.role == HOST


def membership(session: Session, user: User, pitch_session: PitchSession) -> Member | None:
    """The user's part in the session's room, or None when they are not of its audience.

    Organizers host; judges and district recruiters are the roadshow's audience and may join
    every published session; applicants join the sessions where they pitch or that they were
    invited to attend.
    """
    if not user.is_active:
        return None
    if user.role == Role.ORGANIZER:
        return Member(user.id, HOST)
    if pitch_session.status != SessionStatus.PUBLISHED:
        return None
    if user.role == Role.JUDGE:
        return Member(user.id, JUDGE)
    if user.role == Role.RECRUITER:
        if user.district_id is None:
            return Member(user.id, VIEWER)
        return Member(user.id, DISTRICT, district_id=user.district_id)
    presents = frozenset(session.scalars(
        select(Slot.application_id)
        .join(Application, Application.id == Slot.application_id)
        .where(Slot.session_id == pitch_session.id, Application.applicant_id == user.id)
    ))
    if presents:
        return Member(user.id, PRESENTER, presents=presents)
    attends = session.scalar(select(SessionAttendance.id).where(
        SessionAttendance.session_id == pitch_session.id, SessionAttendance.user_id == user.id))
    return Member(user.id, VIEWER) if attends else None


def sessions_for(session: Session, user: User) -> list[PitchSession]:
    """The sessions whose rooms the user may enter, in time order."""
    query = select(PitchSession).order_by(PitchSession.starts_at, PitchSession.id)
    if user.role != Role.ORGANIZER:
        query = query.where(PitchSession.status == SessionStatus.PUBLISHED)
    found = list(session.scalars(query))
    return [s for s in found if membership(session, user, s) is not None]


def live_sessions_now(session: Session, user: User, now: datetime) -> list[tuple[PitchSession, bool]]:
    """Sessions of today and later for the dashboard card; True when the room is open now."""
    rows = []
    for pitch_session in sessions_for(session, user):
        if pitch_session.ends_at < now - timedelta(hours=2):
            continue
        room = session.scalar(select(LiveRoom).where(LiveRoom.session_id == pitch_session.id))
        live = bool(room and room.opened_at and not room.closed_at)
        rows.append((pitch_session, live))
    return rows


def may_enter(session: Session, user: User, pitch_session: PitchSession) -> bool:
    """Whether the user may enter the session's room (scheduling's programme links it)."""
    return membership(session, user, pitch_session) is not None


rooms.ADMISSIONS.append(may_enter)
