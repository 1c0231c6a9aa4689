"""What the review asks of a person in each of their events, for their dashboard's event cards:
a judge's reviews still to write (with the review's close date), a recruiter's applications of
their district still to mark. Two GROUP BY queries whatever the number of events; nothing once
an event's review is closed, its review stage is off, or it is archived."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from flask_babel import ngettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, application_districts
from roadshow.events.models import Event, EventPhase, PhaseKind
from roadshow.events.todos import Todo
from roadshow.organisations.grants import Grant
from roadshow.review.models import (
    PRELIMINARY,
    Assignment,
    Conflict,
    DistrictInterest,
    Review,
    ReviewSettings,
    ReviewStatus,
)
from roadshow.review.review_scope import IN_REVIEW
from roadshow.scoping import across


def _review_open(event_id: object) -> object:
    """The event's review stage is on and its review not closed."""
    return and_(
        exists(select(Event.id).where(Event.id == event_id, Event.stage_review.is_(True))),
        ~exists(select(ReviewSettings.id).where(ReviewSettings.event_id == event_id,
                                                ReviewSettings.closed_at.is_not(None))))


def open_reviews(session: Session, judge: User, event_ids: list[int]) -> dict[int, int]:
    """Per event: the applications assigned to ``judge`` whose review is not yet submitted (free
    of conflict, still in review)."""
    if not event_ids:
        return {}
    submitted = exists(select(Review.id).where(
        Review.application_id == Assignment.application_id, Review.judge_id == Assignment.judge_id,
        Review.round == PRELIMINARY, Review.status == ReviewStatus.SUBMITTED))
    conflicted = exists(select(Conflict.id).where(
        Conflict.application_id == Assignment.application_id, Conflict.judge_id == Assignment.judge_id,
        Conflict.dismissed_at.is_(None)))
    return {event_id: n for event_id, n in session.execute(across(
        select(Assignment.event_id, func.count())
        .join(Application, Application.id == Assignment.application_id)
        .where(Assignment.judge_id == judge.id, Assignment.event_id.in_(event_ids),
               Assignment.round == PRELIMINARY, Application.status.in_(IN_REVIEW),
               ~submitted, ~conflicted, _review_open(Assignment.event_id))
        .group_by(Assignment.event_id), event_ids))}


def applications_to_mark(session: Session, districts: Mapping[int, frozenset[int]]) -> dict[int, int]:
    """Per event: the applications in review that chose the district its recruiter recruits for
    there and that the district has not marked yet (``districts``: event id -> district ids)."""
    if not districts:
        return {}
    marked = exists(select(DistrictInterest.id).where(
        DistrictInterest.application_id == Application.id,
        DistrictInterest.district_id == application_districts.c.district_id))
    return {event_id: n for event_id, n in session.execute(across(
        select(Application.event_id, func.count(func.distinct(Application.id)))
        .join(application_districts, application_districts.c.application_id == Application.id)
        .where(or_(*(and_(Application.event_id == event_id, application_districts.c.district_id.in_(ids))
                     for event_id, ids in districts.items())),
               Application.status.in_(IN_REVIEW), ~marked, _review_open(Application.event_id))
        .group_by(Application.event_id), list(districts)))}


def close_dates(session: Session, event_ids: list[int]) -> dict[int, object]:
    """When each event's review phase ends (None where it has no review phase)."""
    if not event_ids:
        return {}
    return dict(tuple(row) for row in session.execute(across(
        select(EventPhase.event_id, EventPhase.ends_at)
        .where(EventPhase.event_id.in_(event_ids), EventPhase.kind == PhaseKind.REVIEW), event_ids)))


def todos(session: Session, user: User, grants: Mapping[int, Grant]) -> dict[int, list[Todo]]:
    """The review's to-dos of ``user`` in each event of ``grants`` (event id -> their grant)."""
    live = {event_id: grant for event_id, grant in grants.items() if not grant.read_only}
    judging = [event_id for event_id, grant in live.items() if Role.JUDGE in grant.roles]
    recruiting = {event_id: grant.district_ids for event_id, grant in live.items()
                  if Role.RECRUITER in grant.roles and grant.district_ids}
    result: dict[int, list[Todo]] = defaultdict(list)
    reviews = open_reviews(session, user, judging)
    due = close_dates(session, [event_id for event_id, n in reviews.items() if n])
    for event_id, n in reviews.items():
        if n:
            result[event_id].append(Todo(
                kind="review.open_reviews", count=n,
                label=ngettext("%(num)d review to write", "%(num)d reviews to write", n),
                endpoint="review.queue", due_at=due.get(event_id)))
    for event_id, n in applications_to_mark(session, recruiting).items():
        if n:
            result[event_id].append(Todo(
                kind="review.applications_to_mark", count=n,
                label=ngettext("%(num)d application of your district to mark",
                               "%(num)d applications of your district to mark", n),
                endpoint="review.docking", due_at=None))
    return dict(result)
