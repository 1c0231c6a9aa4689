"""Live scoring: judges score the project on stage (stored as reviews of round "live"); the results
stay hidden until the host reveals them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.live import state as stage
from roadshow.live.bilingual import names
from roadshow.live.exceptions import LiveError
from roadshow.live.membership import JUDGE, Member
from roadshow.live.models import LiveEvent, LiveRoom
from roadshow.live.room_events import append_event, load_stage, next_seq
from roadshow.live.throttle import NOTE_MAX_CHARS
from roadshow.review import figures
from roadshow.review.exceptions import ReviewError
from roadshow.review.judges_and_conflicts import is_conflicted
from roadshow.review.judging import submit_review
from roadshow.review.models import LIVE, Criterion, Review, ReviewStatus, Score


def rubric(session: Session, event_id: int) -> list[Any]:
    return list(session.scalars(select(Criterion).where(Criterion.event_id == event_id)
                                .order_by(Criterion.position, Criterion.id)))


def judge_conflicted(session: Session, judge: User, application: Application) -> bool:
    return bool(is_conflicted(session, judge, application))


def submit_score(session: Session, room: LiveRoom, member: Member, judge: User,
                 scores: object, comment: object, action_id: str | None = None) -> LiveEvent:
    """A judge scores the project on stage during the scoring phase; nobody else sees the
    scores until the host reveals them."""
    if member.role != JUDGE:
        raise LiveError("not_judge")
    current = load_stage(room)
    item = current.item
    if item is None or item.application_id is None or not stage.scoring_open_for(
            current, item.application_id):
        raise LiveError("scoring_closed")
    application = session.get(Application, item.application_id)
    if application is None:
        raise LiveError("scoring_closed")
    if judge_conflicted(session, judge, application):
        raise LiveError("conflicted")
    criteria = rubric(session, application.event_id)
    if not criteria:
        raise LiveError("no_rubric")
    if not isinstance(scores, dict):
        raise LiveError("bad_scores")
    values: dict[int, float] = {}
    for criterion in criteria:
        raw = scores.get(str(criterion.id), scores.get(criterion.id))
        if raw in (None, ""):
            if criterion.required:
                raise LiveError("bad_scores")
            continue
        if isinstance(raw, bool):  # JSON true is not a score of 1
            raise LiveError("bad_scores")
        try:
            value = float(raw)
        except (TypeError, ValueError) as error:
            raise LiveError("bad_scores") from error
        if not criterion.scale_min <= value <= criterion.scale_max:
            raise LiveError("bad_scores")
        values[criterion.id] = value
    text = comment.strip()[:NOTE_MAX_CHARS] if isinstance(comment, str) else ""
    seq = next_seq(session, room)
    total = _store_live_review(session, judge, application, criteria, values, text)
    count = live_review_count(session, application.id)
    return append_event(session, room, "scored",
                        {"application_id": application.id, "judge_id": judge.id,
                         "judge": judge.display_name, **names(judge, "judge"), "count": count,
                         "total": total},
                        actor_id=member.user_id, action_id=action_id,
                        audience=f"host,user:{judge.id}", seq=seq)


def _store_live_review(session: Session, judge: User, application: Application,
                       criteria: list[Any], values: dict[int, float], comment: str) -> float | None:
    by_code = {c.code: values[c.id] for c in criteria if c.id in values}
    try:
        review = submit_review(session, judge, application, by_code, None, round=LIVE,
                               overall_comment=comment)
    except ReviewError as error:
        raise LiveError("review_refused", error.message) from error
    return review.total


def live_review_count(session: Session, application_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Review).where(
        Review.application_id == application_id, Review.round == LIVE,
        Review.status == ReviewStatus.SUBMITTED)) or 0


def live_results(session: Session, application_id: int | None) -> dict[str, Any]:
    """The live round's result of one project: judges counted, mean total, mean per criterion."""
    if application_id is None:
        return {"count": 0, "mean": None, "criteria": {}}
    reviews = list(session.scalars(select(Review).where(
        Review.application_id == application_id, Review.round == LIVE,
        Review.status == ReviewStatus.SUBMITTED)))
    totals = [r.total for r in reviews if r.total is not None]
    per_criterion: dict[str, list[float]] = {}
    if reviews:
        for score in session.scalars(select(Score).where(
                Score.review_id.in_([r.id for r in reviews]))):
            per_criterion.setdefault(str(score.criterion_id), []).append(score.value)
    return {
        "application_id": application_id,
        "count": len(reviews),
        "mean": figures.round_total(sum(totals) / len(totals)) if totals else None,
        "criteria": {k: round(sum(v) / len(v), 2) for k, v in per_criterion.items()},
    }


def my_live_score(session: Session, judge_id: int, application_id: int) -> dict[str, Any] | None:
    review = session.scalar(select(Review).where(
        Review.application_id == application_id, Review.judge_id == judge_id, Review.round == LIVE))
    if review is None:
        return None
    return {"total": review.total, "scores": {str(s.criterion_id): s.value for s in review.scores},
            "comment": review.overall_comment}
