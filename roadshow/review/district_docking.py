"""District docking: the applications a recruiter sees, their district's interest in each, and
whether they may read scores and decks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import (
    Application,
    application_districts,
)
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.organisations import grants
from roadshow.review.exceptions import ReviewError, _
from roadshow.review.judging import judge_may_open
from roadshow.review.models import (
    DistrictInterest,
    InterestLevel,
)
from roadshow.review.review_scope import IN_REVIEW, recruiting_district
from roadshow.review.settings_and_rubric import get_settings
from roadshow.scoping import across, scoped


def recruiter_applications(session: Session, event: Event, district_id: int | None, *, scope: str = "district",
                           track_id: int | None = None, level: str | None = None) -> list[Application]:
    """The applications in ``event``'s review a recruiter of ``district_id`` browses: those that
    chose the district (``scope="district"``), or all; by track, and by the district's interest."""
    query = (select(Application).where(Application.event_id == event.id, Application.status.in_(IN_REVIEW))
             .options(selectinload(Application.track), selectinload(Application.districts))
             .order_by(Application.id))
    if scope == "district" and district_id is not None:
        query = query.where(Application.id.in_(
            select(application_districts.c.application_id)
            .where(application_districts.c.district_id == district_id)))
    if track_id:
        query = query.where(Application.track_id == track_id)
    apps = list(session.scalars(scoped(query, event)))
    if level:
        marks = district_interests(session, event, district_id)
        apps = [a for a in apps if (marks[a.id].level.value if a.id in marks else "none") == level]
    return apps


def district_interests(session: Session, event: Event, district_id: int | None) -> dict[int, DistrictInterest]:
    """The interest ``district_id`` marked in the applications of ``event``, by application id."""
    if district_id is None:
        return {}
    return {i.application_id: i for i in session.scalars(scoped(
        select(DistrictInterest).where(DistrictInterest.district_id == district_id), event))}


def set_interest(session: Session, recruiter: User, application: Application, level: InterestLevel,
                 note: str) -> DistrictInterest:
    """Mark the interest of the district ``recruiter`` recruits for in the application's event;
    refused for anyone who does not recruit there."""
    district_id = recruiting_district(session, recruiter, application.event)
    if district_id is None:
        raise ReviewError(_("Only a district's recruiters can mark its interest."))
    if application.status not in IN_REVIEW:
        raise ReviewError(_("This application is not open for docking."))
    interest = session.scalar(across(select(DistrictInterest).where(
        DistrictInterest.application_id == application.id,
        DistrictInterest.district_id == district_id), [application.event_id]))
    if interest is None:
        interest = DistrictInterest(application_id=application.id, district_id=district_id)
        session.add(interest)
    interest.level = level
    interest.note = note.strip()
    interest.recruiter_id = recruiter.id
    interest.updated_at = utcnow()
    session.flush()
    return interest


def interests_by_application(session: Session, event_id: int) -> dict[int, list[DistrictInterest]]:
    result: dict[int, list[DistrictInterest]] = defaultdict(list)
    for interest in session.scalars(across(
        select(DistrictInterest).join(Application, Application.id == DistrictInterest.application_id)
        .where(Application.event_id == event_id, DistrictInterest.level != InterestLevel.NONE)
        .options(selectinload(DistrictInterest.district))
        .order_by(DistrictInterest.level.desc(), DistrictInterest.id), [event_id])):
        result[interest.application_id].append(interest)
    return result


def interest_per_district(session: Session, event: Event) -> list[tuple[Any, int, int]]:
    """(district, interested, strongly interested) for every district of the event."""
    counts: Counter[tuple[int, InterestLevel]] = Counter()
    for district_id, level, n in session.execute(scoped(
        select(DistrictInterest.district_id, DistrictInterest.level, func.count())
        .join(Application, Application.id == DistrictInterest.application_id)
        .where(Application.event_id == event.id).group_by(DistrictInterest.district_id, DistrictInterest.level),
        event)):
        counts[(district_id, level)] = n
    return [(d, counts[(d.id, InterestLevel.INTERESTED)], counts[(d.id, InterestLevel.STRONG)])
            for d in event.districts]


def recruiter_may_see_scores(session: Session, event: Event) -> bool:
    return get_settings(session, event).recruiters_see_scores


def may_read_deck(session: Session, user: User, application: Application) -> bool:
    """The review domain's rule for decks, in the application's event: assigned, unconflicted
    judges; recruiters of a district the applicant chose or that marked interest, when the
    organizer allows it."""
    event = application.event
    grant = grants.in_event(session, user, event)
    if Role.JUDGE in grant.roles and judge_may_open(session, user, application):
        return True
    if Role.RECRUITER in grant.roles and grant.district_ids and application.status in IN_REVIEW:
        if not get_settings(session, event).recruiters_read_decks:
            return False
        if any(d.id in grant.district_ids for d in application.districts):
            return True
        return session.scalar(across(select(func.count()).select_from(DistrictInterest).where(
            DistrictInterest.application_id == application.id,
            DistrictInterest.district_id.in_(grant.district_ids),
            DistrictInterest.level != InterestLevel.NONE), [application.event_id])) > 0
    return False
