"""What the review of one event takes in: its applications (submitted ones, and those already
decided) and its people (the judges and recruiters invited to that event, and what each holds
there, from their grant in the event, never from their account)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import (
    Application,
    ApplicationStatus,
)
from roadshow.events.models import Event
from roadshow.organisations import grants
from roadshow.organisations.models import EventRole, EventRoleKind
from roadshow.scoping import across

#: applications that take part in the review (submitted, and those already decided)
IN_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED)


def review_applications(session: Session, event_id: int) -> list[Application]:
    return list(session.scalars(across(
        select(Application).where(Application.event_id == event_id, Application.status.in_(IN_REVIEW))
        .order_by(Application.id), [event_id])))


def holds(session: Session, user: User, event: Event, role: Role) -> bool:
    """Whether ``user`` holds ``role`` in ``event``."""
    return role in grants.in_event(session, user, event).roles


def district_of(grant: grants.Grant) -> int | None:
    """The district a grant in one event recruits for (None: it recruits for none there; an
    event holds one recruiter row per person, so one district)."""
    if Role.RECRUITER not in grant.roles or not grant.district_ids:
        return None
    return min(grant.district_ids)


def recruiting_district(session: Session, user: User, event: Event) -> int | None:
    """The district ``user`` recruits for in ``event`` (None: they recruit in none there)."""
    return district_of(grants.in_event(session, user, event))


def event_judges(session: Session, event: Event) -> list[User]:
    """The active judges invited to ``event``, by name."""
    return list(session.scalars(
        select(User).join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.JUDGE, User.active.is_(True))
        .order_by(User.name, User.id)))


def event_recruiters(session: Session, event: Event) -> list[tuple[User, int]]:
    """The recruiters of ``event`` with the district each recruits for there."""
    return [(user, district_id) for user, district_id in session.execute(
        select(User, EventRole.district_id).join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.RECRUITER,
               EventRole.district_id.is_not(None)))]
