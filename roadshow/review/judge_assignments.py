"""Assigning applications to judges: the balanced run, hand additions and removals, the load report."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import (
    Application,
)
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.review import assignment as assignment_algo
from roadshow.review import notices
from roadshow.review.exceptions import ReviewError, _
from roadshow.review.judges_and_conflicts import (
    active_conflict_pairs,
    detect_conflicts,
    is_conflicted,
    judges,
)
from roadshow.review.models import (
    PRELIMINARY,
    Assignment,
    Conflict,
    JudgeProfile,
    Review,
    ReviewStatus,
)
from roadshow.review.review_scope import IN_REVIEW, holds, review_applications
from roadshow.review.settings_and_rubric import get_settings
from roadshow.scoping import across, scoped


def run_assignment(session: Session, actor: User, event: Event) -> assignment_algo.AssignmentResult:
    """Flag conflicts, then fill every application up to the set number of judges."""
    detect_conflicts(session, event)
    settings = get_settings(session, event)
    judge_users = judges(session, event)
    profiles = {p.user_id: p for p in session.scalars(
        select(JudgeProfile).options(selectinload(JudgeProfile.tracks))
        .where(JudgeProfile.user_id.in_([j.id for j in judge_users])))}
    specs = [
        assignment_algo.JudgeSpec(
            j.id,
            frozenset(t.id for t in profiles[j.id].tracks) if j.id in profiles else frozenset(),
            profiles[j.id].capacity if j.id in profiles else None,
        ) for j in judge_users
    ]
    apps = [assignment_algo.ApplicationSpec(app_id, track_id) for app_id, track_id in session.execute(scoped(
        select(Application.id, Application.track_id)
        .where(Application.event_id == event.id, Application.status.in_(IN_REVIEW)), event))]
    existing = list(tuple(r) for r in session.execute(scoped(
        select(Assignment.application_id, Assignment.judge_id)
        .where(Assignment.event_id == event.id, Assignment.round == PRELIMINARY), event)))
    result = assignment_algo.assign(
        apps, specs, settings.judges_per_application,
        conflicts=active_conflict_pairs(session, event.id), existing=existing,
    )
    if result.pairs:
        now = utcnow()
        session.execute(insert(Assignment), [
            dict(event_id=event.id, application_id=a, judge_id=j, round=PRELIMINARY, manual=False,
                 created_at=now) for a, j in result.pairs
        ])
        notices.tell_judges(session, event, (j for _a, j in result.pairs))
    session.flush()
    return result


def add_assignment(session: Session, actor: User, application: Application, judge: User) -> Assignment:
    if not holds(session, judge, application.event, Role.JUDGE):
        raise ReviewError(_("Only judges of this event can be assigned to review."))
    if is_conflicted(session, judge, application):
        raise ReviewError(_("%(judge)s has a conflict of interest with this application and cannot "
                            "be assigned.", judge=judge.name))
    existing = session.scalar(across(select(Assignment).where(
        Assignment.application_id == application.id, Assignment.judge_id == judge.id,
        Assignment.round == PRELIMINARY), [application.event_id]))
    if existing is not None:
        raise ReviewError(_("%(judge)s is already assigned to this application.", judge=judge.name))
    assignment = Assignment(event_id=application.event_id, application_id=application.id,
                            judge_id=judge.id, round=PRELIMINARY, manual=True)
    session.add(assignment)
    session.flush()
    notices.tell_judges(session, application.event, [judge.id])
    return assignment


def remove_assignment(session: Session, actor: User, assignment: Assignment) -> None:
    review = session.scalar(across(select(Review).where(
        Review.application_id == assignment.application_id, Review.judge_id == assignment.judge_id,
        Review.round == assignment.round), [assignment.event_id]))
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise ReviewError(_("This judge has already submitted a review; it cannot be unassigned."))
    if review is not None:
        session.delete(review)
    session.delete(assignment)


@dataclass
class JudgeLoad:
    judge: User
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0
    conflicts: int = 0
    tracks: list[str] = field(default_factory=list)

    @property
    def progress(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


def load_report(session: Session, event: Event) -> tuple[list[JudgeLoad], list[tuple[Application, int]]]:
    """Load per judge, and the applications short of reviewers with how many they lack."""
    settings = get_settings(session, event)
    rows = {j.id: JudgeLoad(j) for j in judges(session, event)}
    for judge_id, n in session.execute(scoped(
        select(Assignment.judge_id, func.count()).where(
            Assignment.event_id == event.id, Assignment.round == PRELIMINARY).group_by(Assignment.judge_id),
            event)):
        if judge_id in rows:
            rows[judge_id].assigned = n
    for judge_id, status, n in session.execute(scoped(
        select(Review.judge_id, Review.status, func.count())
        .join(Application, Application.id == Review.application_id)
        .where(Application.event_id == event.id, Review.round == PRELIMINARY)
        .group_by(Review.judge_id, Review.status), event)):
        if judge_id in rows:
            if status == ReviewStatus.SUBMITTED:
                rows[judge_id].submitted = n
            else:
                rows[judge_id].drafts = n
    for judge_id, n in session.execute(scoped(
        select(Conflict.judge_id, func.count()).where(
            Conflict.event_id == event.id, Conflict.dismissed_at.is_(None)).group_by(Conflict.judge_id), event)):
        if judge_id in rows:
            rows[judge_id].conflicts = n
    counts = dict(tuple(r) for r in session.execute(scoped(
        select(Assignment.application_id, func.count()).where(
            Assignment.event_id == event.id, Assignment.round == PRELIMINARY)
        .group_by(Assignment.application_id), event)))
    short = [(a, settings.judges_per_application - counts.get(a.id, 0))
             for a in review_applications(session, event.id)
             if counts.get(a.id, 0) < settings.judges_per_application]
    return list(rows.values()), short


def application_assignments(session: Session, application: Application) -> list[Assignment]:
    return list(session.scalars(across(
        select(Assignment).where(Assignment.application_id == application.id, Assignment.round == PRELIMINARY)
        .options(selectinload(Assignment.judge)).order_by(Assignment.id), [application.event_id])))
