"""Judging: what a judge may open, their queue, saving and submitting a review, and the other
reviews they may see (as the event's settings allow).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import (
    Application,
)
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.i18n import is_chinese
from roadshow.review import scoring
from roadshow.review.exceptions import FieldsError, ReviewError, StaleReviewError, _
from roadshow.review.judges_and_conflicts import active_conflict_pairs, is_conflicted
from roadshow.review.models import (
    PRELIMINARY,
    ROUNDS,
    Assignment,
    Criterion,
    Review,
    ReviewStatus,
    Score,
    SeeOtherReviews,
)
from roadshow.review.review_scope import IN_REVIEW, holds
from roadshow.review.settings_and_rubric import get_settings, rubric, specs_of
from roadshow.scoping import across, scoped


def is_assigned(session: Session, judge: User, application: Application, round: str = PRELIMINARY) -> bool:
    return session.scalar(across(select(func.count()).select_from(Assignment).where(
        Assignment.judge_id == judge.id, Assignment.application_id == application.id,
        Assignment.round == round), [application.event_id])) > 0


def judge_may_open(session: Session, judge: User, application: Application) -> bool:
    """A judge of the application's event, assigned to it and free of any conflict of interest."""
    return (application.status in IN_REVIEW and holds(session, judge, application.event, Role.JUDGE)
            and is_assigned(session, judge, application)
            and not is_conflicted(session, judge, application))


@dataclass
class QueueItem:
    application: Application
    review: Review | None

    @property
    def state(self) -> str:
        if self.review is None:
            return "todo"
        return self.review.status.value


def judge_queue(session: Session, judge: User, event: Event) -> list[QueueItem]:
    conflicted = {a for j, a in active_conflict_pairs(session, event.id) if j == judge.id}
    apps = list(session.scalars(scoped(
        select(Application).join(Assignment, Assignment.application_id == Application.id)
        .where(Assignment.judge_id == judge.id, Assignment.event_id == event.id,
               Assignment.round == PRELIMINARY, Application.status.in_(IN_REVIEW))
        .options(selectinload(Application.track)).order_by(Application.id), event)))
    reviews = {r.application_id: r for r in session.scalars(scoped(
        select(Review).where(Review.judge_id == judge.id, Review.round == PRELIMINARY,
                             Review.application_id.in_([a.id for a in apps])), event))}
    items = [QueueItem(a, reviews.get(a.id)) for a in apps if a.id not in conflicted]
    order = {"todo": 0, "draft": 1, "submitted": 2}
    return sorted(items, key=lambda i: (order[i.state], i.application.id))


def find_review(session: Session, judge: User, application: Application, round: str = PRELIMINARY
                ) -> Review | None:
    return session.scalar(across(select(Review).where(
        Review.judge_id == judge.id, Review.application_id == application.id, Review.round == round)
        .options(selectinload(Review.scores)), [application.event_id]))


@dataclass
class ScoreEntries:
    """What a judge typed on the score form, read against the rubric."""

    #: criterion code -> the typed value (None when left empty; NaN when unreadable)
    values: dict[str, float | None]
    #: criterion code -> why the typed value cannot be saved (unreadable, or off its scale)
    errors: dict[str, str]
    #: criterion code -> a required criterion left empty on a review that must be complete
    missing: dict[str, str]


def read_score_entries(criteria: Sequence[Criterion], entered: Mapping[str, str], *,
                       complete: bool) -> ScoreEntries:
    """Read the scores typed on the form (a decimal comma reads as a point), each checked
    against its scale by :func:`scoring.check_score`, as :func:`save_review` checks them.
    ``complete`` (submitting, or changing a review already submitted) marks the required
    criteria left empty."""
    values: dict[str, float | None] = {}
    errors: dict[str, str] = {}
    for criterion, spec in zip(criteria, specs_of(criteria), strict=True):
        raw = (entered.get(criterion.code) or "").strip().replace(",", ".")
        if not raw:
            values[criterion.code] = None
            continue
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        values[criterion.code] = value
        try:
            scoring.check_score(value, spec)
        except scoring.ScoreOutOfRangeError:
            errors[criterion.code] = _("Enter a number from %(low)s to %(high)s.",
                                       low=criterion.scale_min, high=criterion.scale_max)
    missing = {}
    if complete:
        missing = {code: _("Score this criterion to submit.")
                   for code in scoring.missing_required(values, specs_of(criteria))}  # type: ignore[arg-type]
    return ScoreEntries(values, errors, missing)


def save_review(
    session: Session,
    judge: User,
    application: Application,
    scores: Mapping[str, float | None],
    comments: Mapping[str, str] | None = None,
    *,
    submit: bool = False,
    overall_comment: str | None = None,
    expected_version: int | None = None,
    round: str = PRELIMINARY,
) -> Review:
    """Save (and optionally submit) a judge's review, keyed by criterion code.

    Refused with a :class:`ReviewError` when the judge may not review the application, the
    review is closed, a value is off the scale, or (to submit, or on a review already
    submitted, which stays submitted) a required criterion is missing; with a :class:`StaleReviewError` when ``expected_version`` is older than the
    stored review (someone, or another tab, saved in between).
    """
    if round not in ROUNDS:
        raise ValueError(f"unknown round {round!r}")
    if not holds(session, judge, application.event, Role.JUDGE):
        raise ReviewError(_("Only judges can review applications."))
    if is_conflicted(session, judge, application):
        raise ReviewError(_("You have a conflict of interest with this application."))
    if round == PRELIMINARY:
        if not is_assigned(session, judge, application, round):
            raise ReviewError(_("This application is not assigned to you."))
        settings = get_settings(session, application.event)
        if settings.is_closed:
            raise ReviewError(_("The review is closed; scores can no longer be changed."))
    comments = comments or {}
    criteria = rubric(session, application.event_id)
    if not criteria:
        raise ReviewError(_("The organizer has not set up the rubric yet."))
    specs = specs_of(criteria)
    values: dict[str, float] = {}
    for spec in specs:
        value = scores.get(spec.code)
        if value is None:
            continue
        try:
            values[spec.code] = scoring.check_score(float(value), spec)
        except (scoring.ScoreOutOfRangeError, ValueError, TypeError):
            criterion = next(c for c in criteria if c.code == spec.code)
            raise ReviewError(_("%(criterion)s must be between %(low)s and %(high)s.",
                                criterion=criterion.name_en if not _is_zh() else criterion.name_zh,
                                low=criterion.scale_min, high=criterion.scale_max)) from None
    review = find_review(session, judge, application, round)
    if review is not None and expected_version is not None and review.version != expected_version:
        raise StaleReviewError(_("This review was changed elsewhere (in another tab or window) after "
                                 "you opened it. Your entries are kept below: check them against the "
                                 "saved version and save again."))
    total = scoring.weighted_total(values, specs)
    already_submitted = review is not None and review.status == ReviewStatus.SUBMITTED
    if (submit or already_submitted) and total is None:
        missing = scoring.missing_required(values, specs)
        names = ", ".join((c.name_zh if _is_zh() else c.name_en) for c in criteria if c.code in missing)
        if submit:
            raise ReviewError(_("Score every required criterion before submitting: %(names)s.", names=names))
        # a submitted review counts in the ranking: it may change, but not lose a required score
        raise ReviewError(_("This review is submitted, so every required criterion keeps a score: "
                            "%(names)s.", names=names))
    if review is None:
        review = Review(application_id=application.id, judge_id=judge.id, round=round,
                        status=ReviewStatus.DRAFT, overall_comment="")
        session.add(review)
    by_code = {c.code: c for c in criteria}
    current = {s.criterion_id: s for s in review.scores}
    for code, criterion in by_code.items():
        score = current.get(criterion.id)
        if code in values:
            if score is None:
                review.scores.append(Score(criterion_id=criterion.id, value=values[code],
                                           comment=(comments.get(code) or "").strip()))
            else:
                score.value = values[code]
                score.comment = (comments.get(code) or "").strip()
        elif score is not None:
            review.scores.remove(score)
    review.total = total
    if overall_comment is not None:
        review.overall_comment = overall_comment.strip()
    if submit:
        if review.status != ReviewStatus.SUBMITTED:
            review.submitted_at = utcnow()
        review.status = ReviewStatus.SUBMITTED
    review.updated_at = utcnow()
    session.flush()
    return review


def save_typed_review(
    session: Session,
    judge: User,
    application: Application,
    entered: Mapping[str, str],
    comments: Mapping[str, str] | None = None,
    *,
    submit: bool = False,
    overall_comment: str | None = None,
    expected_version: int | None = None,
) -> Review:
    """Save (and optionally submit) the preliminary review as the judge typed it on the score
    form, values as text by criterion code. A review already submitted stays submitted and
    complete, whichever button saved it.

    Refused with a :class:`FieldsError` marking the criteria to correct when a value is off its
    scale (nothing saved) or when :func:`save_review` refuses (e.g. a required criterion left
    empty on submitting); a :class:`StaleReviewError` passes through unchanged.
    """
    criteria = rubric(session, application.event_id)
    review = find_review(session, judge, application)
    complete = submit or (review is not None and review.status == ReviewStatus.SUBMITTED)
    entries = read_score_entries(criteria, entered, complete=complete)
    if entries.errors:
        raise FieldsError(_("Some scores are off the scale; nothing was saved. Please correct the marked fields."),
                          {**entries.errors, **entries.missing})
    try:
        return save_review(session, judge, application, entries.values, comments, submit=submit,
                           overall_comment=overall_comment, expected_version=expected_version)
    except StaleReviewError:
        raise
    except ReviewError as error:
        raise FieldsError(error.message, entries.missing) from None


def submit_review(session: Session, judge: User, application: Application, scores: Mapping[str, float | None],
                  comments: Mapping[str, str] | None = None, *, round: str = PRELIMINARY,
                  overall_comment: str | None = None, expected_version: int | None = None) -> Review:
    return save_review(session, judge, application, scores, comments, submit=True, round=round,
                       overall_comment=overall_comment, expected_version=expected_version)


def _is_zh() -> bool:
    try:
        return is_chinese()
    except RuntimeError:
        return False


def visible_other_reviews(session: Session, judge: User, application: Application) -> list[Review] | None:
    """Other judges' submitted reviews, or None when the settings keep them hidden from this judge."""
    settings = get_settings(session, application.event)
    if settings.see_other_reviews == SeeOtherReviews.NEVER:
        return None
    own = find_review(session, judge, application)
    if own is None or own.status != ReviewStatus.SUBMITTED:
        return None
    return list(session.scalars(across(
        select(Review).where(Review.application_id == application.id, Review.round == PRELIMINARY,
                             Review.judge_id != judge.id, Review.status == ReviewStatus.SUBMITTED)
        .options(selectinload(Review.scores)).order_by(Review.id), [application.event_id])))


def application_reviews(session: Session, application: Application, round: str = PRELIMINARY) -> list[Review]:
    return list(session.scalars(across(
        select(Review).where(Review.application_id == application.id, Review.round == round)
        .options(selectinload(Review.scores), selectinload(Review.judge)).order_by(Review.id),
        [application.event_id])))
