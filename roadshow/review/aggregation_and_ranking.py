"""Aggregating submitted reviews: each judge's scale and the ranking by normalised score."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import (
    Application,
)
from roadshow.events.models import Event
from roadshow.review import scoring
from roadshow.review.district_docking import interests_by_application
from roadshow.review.models import (
    LIVE,
    PRELIMINARY,
    Conflict,
    DistrictInterest,
    Review,
    ReviewStatus,
    SelectionDecision,
)
from roadshow.review.review_scope import IN_REVIEW
from roadshow.scoping import across, scoped


def review_points(session: Session, event_id: int, round: str = PRELIMINARY) -> list[scoring.ReviewPoint]:
    """The submitted reviews that count: a review whose judge has a conflict of interest with
    the application (recorded even after the review was submitted, and not dismissed) stays on
    record but is left out of every total and ranking while the conflict stands."""
    conflicted = select(Conflict.id).where(
        Conflict.judge_id == Review.judge_id, Conflict.application_id == Review.application_id,
        Conflict.dismissed_at.is_(None)).exists()
    return [scoring.ReviewPoint(a, j, t) for a, j, t in session.execute(across(
        select(Review.application_id, Review.judge_id, Review.total)
        .join(Application, Application.id == Review.application_id)
        .where(Application.event_id == event_id, Review.round == round,
               Review.status == ReviewStatus.SUBMITTED, Review.total.is_not(None),
               Application.status.in_(IN_REVIEW), ~conflicted), [event_id]))]


def judge_scales(session: Session, event: Event) -> list[tuple[User, int, float, float]]:
    """Per judge: reviews submitted, mean total and its standard deviation (harsh or lenient)."""
    scales = scoring.judge_scales(review_points(session, event.id))
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(list(scales))))}
    return sorted(((users[j], n, mean, sd) for j, (n, mean, sd) in scales.items() if j in users),
                  key=lambda row: row[2])


@dataclass
class RankedRow:
    application: Application
    aggregate: scoring.Aggregate | None
    decision: SelectionDecision | None
    interest: list[DistrictInterest]
    live: scoring.Aggregate | None = None  # the live round's scores, once judges gave them


def ranking(session: Session, event: Event) -> list[RankedRow]:
    """Every application in review, ranked by normalised score; unreviewed ones last. Each row
    carries the live round's aggregate beside the preliminary one (ranked among the pitches)."""
    aggregates = {a.application_id: a for a in scoring.aggregate(review_points(session, event.id))}
    live = {a.application_id: a for a in scoring.aggregate(review_points(session, event.id, round=LIVE))}
    apps = list(session.scalars(scoped(
        select(Application).where(Application.event_id == event.id, Application.status.in_(IN_REVIEW))
        .options(selectinload(Application.track), selectinload(Application.applicant)), event)))
    decisions = {d.application_id: d for d in session.scalars(scoped(
        select(SelectionDecision).where(SelectionDecision.event_id == event.id), event))}
    interest = interests_by_application(session, event.id)
    rows = [RankedRow(a, aggregates.get(a.id), decisions.get(a.id), interest.get(a.id, []), live.get(a.id))
            for a in apps]
    rows.sort(key=lambda r: (r.aggregate is None,
                             scoring.normalised_key(r.aggregate) if r.aggregate else (0, 0, 0, 0, r.application.id)))
    return rows
