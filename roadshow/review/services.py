"""Review and district docking: the writes and queries, with an explicit session and actor.

Object rules live here: a judge opens only applications assigned to them and free of
conflicts; other reviews show only as the event's settings allow; recruiters see scores only
when the organizer allows it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import (
    ApplicantProfile,
    Application,
    ApplicationStatus,
    application_districts,
)
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.review import assignment as assignment_algo
from roadshow.review import scoring
from roadshow.review.models import (
    LIVE,
    PRELIMINARY,
    ROUNDS,
    Assignment,
    Conflict,
    ConflictSource,
    Criterion,
    DistrictInterest,
    InterestLevel,
    JudgeProfile,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
    SeeOtherReviews,
    SelectionDecision,
)
from roadshow.review.signals import finalist_commitments, finalist_demoted

#: applications that take part in the review (submitted, and those already decided)
IN_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED)

#: the standard rubric offered to a new event: code, zh, en, guidance zh, guidance en, weight
STANDARD_RUBRIC = [
    ("innovation", "创新性", "Innovation",
     "技术或模式的新颖程度、核心知识产权和技术壁垒。",
     "How new the technology or model is; core intellectual property and barriers to entry.", 30),
    ("market", "市场前景", "Market",
     "市场规模与需求、商业模式、产业化路径和预期收益。",
     "Market size and demand, business model, path to industry and expected returns.", 25),
    ("team", "团队实力", "Team",
     "负责人与团队的经历、分工和执行能力。",
     "The lead's and the team's record, roles and ability to deliver.", 25),
    ("fit", "产业契合度", "Fit with the districts' industries",
     "项目与各板块主导产业的契合程度及落地可能性。",
     "How well the project fits the districts' leading industries and how likely it is to settle.", 20),
]


class ReviewError(Exception):
    """A refused review action; ``message`` is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleReviewError(ReviewError):
    pass


def _(text: str, **kwargs: Any) -> str:
    """Translate when a request or app context has a locale (services run from CLI/demo too)."""
    try:
        from flask_babel import gettext

        return gettext(text, **kwargs)
    except (RuntimeError, KeyError):  # outside an app context
        return text % kwargs if kwargs else text


# --- settings and rubric -------------------------------------------------------------------

def get_settings(session: Session, event: Event) -> ReviewSettings:
    settings = session.scalar(select(ReviewSettings).where(ReviewSettings.event_id == event.id))
    if settings is None:
        settings = ReviewSettings(event_id=event.id, judges_per_application=3, blind=False,
                                  see_other_reviews=SeeOtherReviews.NEVER, finalist_count=32,
                                  track_quota={}, recruiters_see_scores=False,
                                  recruiters_read_decks=False)
        session.add(settings)
        session.flush()
    return settings


def rubric(session: Session, event_id: int) -> list[Criterion]:
    return list(session.scalars(
        select(Criterion).where(Criterion.event_id == event_id).order_by(Criterion.position, Criterion.id)
    ))


def specs_of(criteria: Sequence[Criterion]) -> list[scoring.CriterionSpec]:
    return [scoring.CriterionSpec(c.code, c.weight, c.scale_min, c.scale_max, c.required)
            for c in criteria]


def add_standard_rubric(session: Session, actor: User, event: Event) -> list[Criterion]:
    existing = {c.code for c in rubric(session, event.id)}
    added = []
    for position, (code, zh, en, gzh, gen, weight) in enumerate(STANDARD_RUBRIC):
        if code in existing:
            continue
        criterion = Criterion(event_id=event.id, code=code, name_zh=zh, name_en=en, guidance_zh=gzh,
                              guidance_en=gen, weight=float(weight), scale_min=1, scale_max=10,
                              required=True, position=position)
        session.add(criterion)
        added.append(criterion)
    session.flush()
    recompute_totals(session, event.id)
    return added


def save_criterion(session: Session, actor: User, event: Event, data: Mapping[str, Any],
                   criterion: Criterion | None = None) -> Criterion:
    code = str(data["code"]).strip().lower()
    clash = session.scalar(select(Criterion).where(Criterion.event_id == event.id, Criterion.code == code))
    if clash is not None and clash is not criterion:
        raise ReviewError(_("Another criterion already uses the code %(code)s.", code=code))
    if data["scale_max"] <= data["scale_min"]:
        raise ReviewError(_("The top of the scale must be above its bottom."))
    if data["weight"] <= 0:
        raise ReviewError(_("The weight must be more than zero."))
    if criterion is None:
        position = session.scalar(select(func.count()).select_from(Criterion)
                                  .where(Criterion.event_id == event.id)) or 0
        criterion = Criterion(event_id=event.id, position=position)
        session.add(criterion)
    for name in ("name_zh", "name_en", "guidance_zh", "guidance_en", "weight", "scale_min",
                 "scale_max", "required"):
        setattr(criterion, name, data[name])
    criterion.code = code
    session.flush()
    recompute_totals(session, event.id)
    return criterion


def delete_criterion(session: Session, actor: User, criterion: Criterion) -> None:
    event_id = criterion.event_id
    session.delete(criterion)
    session.flush()
    recompute_totals(session, event_id)


def move_criterion(session: Session, actor: User, criterion: Criterion, offset: int) -> None:
    items = rubric(session, criterion.event_id)
    i = items.index(criterion)
    j = max(0, min(len(items) - 1, i + offset))
    items.insert(j, items.pop(i))
    for position, item in enumerate(items):
        item.position = position


def recompute_totals(session: Session, event_id: int) -> None:
    """After a rubric change every review's total is computed again from its scores."""
    criteria = rubric(session, event_id)
    specs = specs_of(criteria)
    code_of = {c.id: c.code for c in criteria}
    reviews = session.scalars(
        select(Review).join(Application, Application.id == Review.application_id)
        .where(Application.event_id == event_id).options(selectinload(Review.scores))
    )
    for review in reviews:
        values = {code_of[s.criterion_id]: s.value for s in review.scores if s.criterion_id in code_of}
        total = scoring.weighted_total(values, specs) if specs else None
        if review.total != total:
            review.total = total


# --- judges and conflicts ------------------------------------------------------------------

def judge_profile(session: Session, judge: User) -> JudgeProfile:
    profile = session.scalar(select(JudgeProfile).where(JudgeProfile.user_id == judge.id))
    if profile is None:
        profile = JudgeProfile(user_id=judge.id, institution="", associates="")
        session.add(profile)
        session.flush()
    return profile


def judges(session: Session) -> list[User]:
    return list(session.scalars(
        select(User).where(User.role == Role.JUDGE, User.active.is_(True)).order_by(User.name, User.id)
    ))


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def _team_names(application: Application, profile: ApplicantProfile | None) -> set[str]:
    """The people on an application: the applicant and any team or co-author names it lists."""
    names = {application.applicant.name, application.applicant.name_native or ""}
    if profile is not None:
        names |= {profile.name_latin, profile.name_chinese}
    for attribute in ("team_members", "team_names", "coauthors"):
        value = getattr(application, attribute, None)
        if isinstance(value, str):
            names |= set(re.split(r"[\n,;，；、]+", value))
        elif isinstance(value, Iterable):
            names |= {str(v) for v in value}
    return {n for n in (_norm(x) for x in names) if len(n) >= 2}


def is_conflicted(session: Session, judge: User, application: Application) -> bool:
    return session.scalar(
        select(func.count()).select_from(Conflict).where(
            Conflict.judge_id == judge.id, Conflict.application_id == application.id,
            Conflict.dismissed_at.is_(None),
        )
    ) > 0


def check_conflicts_open(session: Session, event: Event) -> None:
    """Refuse (:class:`ReviewError`) a judge's declaration once the review is closed."""
    if get_settings(session, event).is_closed:
        raise ReviewError(_("The review is closed; conflicts of interest can no longer be declared here. "
                            "If you have one, tell the organizer."))


def declare_conflict(session: Session, judge: User, application: Application, reason: str) -> Conflict:
    """A judge's own declaration; it also withdraws a not-yet-submitted assignment.

    Refused with a :class:`ReviewError` once the review is closed, as scoring is: the queue
    and the reviews are final then."""
    check_conflicts_open(session, application.event)
    conflict = session.scalar(select(Conflict).where(
        Conflict.judge_id == judge.id, Conflict.application_id == application.id,
        Conflict.source == ConflictSource.DECLARED))
    if conflict is None:
        conflict = Conflict(event_id=application.event_id, judge_id=judge.id,
                            application_id=application.id, source=ConflictSource.DECLARED)
        session.add(conflict)
    conflict.reason = reason.strip()
    conflict.dismissed_at = None
    _drop_conflicted_assignments(session, [(judge.id, application.id)])
    session.flush()
    return conflict


def record_conflict(session: Session, actor: User, judge: User, application: Application,
                    reason: str) -> Conflict:
    conflict = Conflict(event_id=application.event_id, judge_id=judge.id,
                        application_id=application.id, source=ConflictSource.ORGANIZER,
                        reason=reason.strip())
    existing = session.scalar(select(Conflict).where(
        Conflict.judge_id == judge.id, Conflict.application_id == application.id,
        Conflict.source == ConflictSource.ORGANIZER))
    if existing is not None:
        existing.reason, existing.dismissed_at = conflict.reason, None
        conflict = existing
    else:
        session.add(conflict)
    _drop_conflicted_assignments(session, [(judge.id, application.id)])
    session.flush()
    return conflict


def dismiss_conflict(session: Session, actor: User, conflict: Conflict) -> None:
    if conflict.source == ConflictSource.DECLARED:
        raise ReviewError(_("A conflict the judge declared can only be withdrawn by the judge."))
    conflict.dismissed_at = utcnow()
    conflict.dismissed_by_id = actor.id


def restore_conflict(session: Session, actor: User, conflict: Conflict) -> None:
    conflict.dismissed_at = None
    conflict.dismissed_by_id = None
    _drop_conflicted_assignments(session, [(conflict.judge_id, conflict.application_id)])


def withdraw_declared_conflict(session: Session, judge: User, conflict: Conflict) -> None:
    if conflict.judge_id != judge.id or conflict.source != ConflictSource.DECLARED:
        raise ReviewError(_("You can only withdraw a conflict you declared yourself."))
    session.delete(conflict)


def _drop_conflicted_assignments(session: Session, pairs: Iterable[tuple[int, int]]) -> int:
    """Remove assignments a conflict now forbids, unless that review was already submitted."""
    dropped = 0
    for judge_id, app_id in pairs:
        submitted = session.scalar(select(func.count()).select_from(Review).where(
            Review.judge_id == judge_id, Review.application_id == app_id,
            Review.status == ReviewStatus.SUBMITTED))
        if submitted:
            continue
        dropped += session.execute(delete(Assignment).where(
            Assignment.judge_id == judge_id, Assignment.application_id == app_id)).rowcount or 0
        session.execute(delete(Review).where(Review.judge_id == judge_id, Review.application_id == app_id,
                                             Review.status == ReviewStatus.DRAFT))
    return dropped


def review_applications(session: Session, event_id: int) -> list[Application]:
    return list(session.scalars(
        select(Application).where(Application.event_id == event_id, Application.status.in_(IN_REVIEW))
        .order_by(Application.id)
    ))


def detect_conflicts(session: Session, event: Event) -> int:
    """Flag likely conflicts: same institution, a team or co-author name in common, or a judge
    who also recruits for a district the applicant chose. Returns how many were new."""
    judge_users = judges(session)
    profiles = {p.user_id: p for p in session.scalars(
        select(JudgeProfile).where(JudgeProfile.user_id.in_([j.id for j in judge_users])))}
    applications = review_applications(session, event.id)
    app_ids = [a.id for a in applications]
    applicant_profiles = {p.user_id: p for p in session.scalars(
        select(ApplicantProfile).where(ApplicantProfile.user_id.in_([a.applicant_id for a in applications])))}
    chosen: dict[int, set[int]] = defaultdict(set)
    for app_id, district_id in session.execute(
        select(application_districts.c.application_id, application_districts.c.district_id)
        .where(application_districts.c.application_id.in_(app_ids))
    ):
        chosen[app_id].add(district_id)
    existing = set(tuple(r) for r in session.execute(
        select(Conflict.judge_id, Conflict.application_id, Conflict.source)
        .where(Conflict.event_id == event.id)))
    new_rows: list[dict[str, Any]] = []

    def flag(judge: User, app: Application, source: ConflictSource, reason: str) -> None:
        if (judge.id, app.id, source) not in existing:
            existing.add((judge.id, app.id, source))
            new_rows.append(dict(event_id=event.id, judge_id=judge.id, application_id=app.id,
                                 source=source, reason=reason, created_at=utcnow()))

    # a judge who also holds a recruiter account (same email, or same name) recruits for its district
    recruiting: dict[str, set[int]] = defaultdict(set)
    for recruiter in session.scalars(select(User).where(User.role == Role.RECRUITER,
                                                        User.district_id.is_not(None))):
        recruiting[recruiter.email.casefold()].add(recruiter.district_id)
        recruiting[_norm(recruiter.name)].add(recruiter.district_id)
    for judge in judge_users:
        profile = profiles.get(judge.id)
        institution = _norm(profile.institution) if profile else ""
        districts = recruiting.get(judge.email.casefold(), set()) | recruiting.get(_norm(judge.name), set())
        if judge.district_id is not None:
            districts = districts | {judge.district_id}
        associates = {_norm(n) for n in profile.associate_names()} if profile else set()
        associates.discard("")
        for app in applications:
            applicant_profile = applicant_profiles.get(app.applicant_id)
            if institution and applicant_profile and _norm(applicant_profile.institution) == institution:
                flag(judge, app, ConflictSource.INSTITUTION, applicant_profile.institution)
            if associates:
                common = associates & _team_names(app, applicant_profile)
                if common:
                    flag(judge, app, ConflictSource.TEAM, ", ".join(sorted(common)))
            shared = districts & chosen.get(app.id, set())
            if shared:
                flag(judge, app, ConflictSource.RECRUITER, ", ".join(
                    d.name_en for d in event.districts if d.id in shared))
    if new_rows:
        session.execute(insert(Conflict), new_rows)
        _drop_conflicted_assignments(session, [(r["judge_id"], r["application_id"]) for r in new_rows])
    session.flush()
    return len(new_rows)


def conflicts(session: Session, event_id: int) -> list[Conflict]:
    return list(session.scalars(
        select(Conflict).where(Conflict.event_id == event_id)
        .options(selectinload(Conflict.judge), selectinload(Conflict.application))
        .order_by(Conflict.dismissed_at.is_not(None), Conflict.created_at.desc(), Conflict.id.desc())
    ))


def active_conflict_pairs(session: Session, event_id: int) -> set[tuple[int, int]]:
    return set(tuple(r) for r in session.execute(
        select(Conflict.judge_id, Conflict.application_id)
        .where(Conflict.event_id == event_id, Conflict.dismissed_at.is_(None))))


# --- assignment ----------------------------------------------------------------------------

def run_assignment(session: Session, actor: User, event: Event) -> assignment_algo.AssignmentResult:
    """Flag conflicts, then fill every application up to the set number of judges."""
    detect_conflicts(session, event)
    settings = get_settings(session, event)
    judge_users = judges(session)
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
    apps = [assignment_algo.ApplicationSpec(app_id, track_id) for app_id, track_id in session.execute(
        select(Application.id, Application.track_id)
        .where(Application.event_id == event.id, Application.status.in_(IN_REVIEW)))]
    existing = list(tuple(r) for r in session.execute(
        select(Assignment.application_id, Assignment.judge_id)
        .where(Assignment.event_id == event.id, Assignment.round == PRELIMINARY)))
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
    session.flush()
    return result


def add_assignment(session: Session, actor: User, application: Application, judge: User) -> Assignment:
    if judge.role != Role.JUDGE:
        raise ReviewError(_("Only judges can be assigned to review."))
    if is_conflicted(session, judge, application):
        raise ReviewError(_("%(judge)s has a conflict of interest with this application and cannot "
                            "be assigned.", judge=judge.name))
    existing = session.scalar(select(Assignment).where(
        Assignment.application_id == application.id, Assignment.judge_id == judge.id,
        Assignment.round == PRELIMINARY))
    if existing is not None:
        raise ReviewError(_("%(judge)s is already assigned to this application.", judge=judge.name))
    assignment = Assignment(event_id=application.event_id, application_id=application.id,
                            judge_id=judge.id, round=PRELIMINARY, manual=True)
    session.add(assignment)
    session.flush()
    return assignment


def remove_assignment(session: Session, actor: User, assignment: Assignment) -> None:
    review = session.scalar(select(Review).where(
        Review.application_id == assignment.application_id, Review.judge_id == assignment.judge_id,
        Review.round == assignment.round))
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
    rows = {j.id: JudgeLoad(j) for j in judges(session)}
    for judge_id, n in session.execute(
        select(Assignment.judge_id, func.count()).where(
            Assignment.event_id == event.id, Assignment.round == PRELIMINARY).group_by(Assignment.judge_id)):
        if judge_id in rows:
            rows[judge_id].assigned = n
    for judge_id, status, n in session.execute(
        select(Review.judge_id, Review.status, func.count())
        .join(Application, Application.id == Review.application_id)
        .where(Application.event_id == event.id, Review.round == PRELIMINARY)
        .group_by(Review.judge_id, Review.status)):
        if judge_id in rows:
            if status == ReviewStatus.SUBMITTED:
                rows[judge_id].submitted = n
            else:
                rows[judge_id].drafts = n
    for judge_id, n in session.execute(
        select(Conflict.judge_id, func.count()).where(
            Conflict.event_id == event.id, Conflict.dismissed_at.is_(None)).group_by(Conflict.judge_id)):
        if judge_id in rows:
            rows[judge_id].conflicts = n
    counts = dict(tuple(r) for r in session.execute(
        select(Assignment.application_id, func.count()).where(
            Assignment.event_id == event.id, Assignment.round == PRELIMINARY)
        .group_by(Assignment.application_id)))
    short = [(a, settings.judges_per_application - counts.get(a.id, 0))
             for a in review_applications(session, event.id)
             if counts.get(a.id, 0) < settings.judges_per_application]
    return list(rows.values()), short


def application_assignments(session: Session, application: Application) -> list[Assignment]:
    return list(session.scalars(
        select(Assignment).where(Assignment.application_id == application.id, Assignment.round == PRELIMINARY)
        .options(selectinload(Assignment.judge)).order_by(Assignment.id)))


# --- judging -------------------------------------------------------------------------------

def is_assigned(session: Session, judge: User, application: Application, round: str = PRELIMINARY) -> bool:
    return session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.judge_id == judge.id, Assignment.application_id == application.id,
        Assignment.round == round)) > 0


def judge_may_open(session: Session, judge: User, application: Application) -> bool:
    """Assigned to this judge and free of any conflict of interest."""
    return (judge.role == Role.JUDGE and application.status in IN_REVIEW
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
    apps = list(session.scalars(
        select(Application).join(Assignment, Assignment.application_id == Application.id)
        .where(Assignment.judge_id == judge.id, Assignment.event_id == event.id,
               Assignment.round == PRELIMINARY, Application.status.in_(IN_REVIEW))
        .options(selectinload(Application.track)).order_by(Application.id)))
    reviews = {r.application_id: r for r in session.scalars(
        select(Review).where(Review.judge_id == judge.id, Review.round == PRELIMINARY,
                             Review.application_id.in_([a.id for a in apps])))}
    items = [QueueItem(a, reviews.get(a.id)) for a in apps if a.id not in conflicted]
    order = {"todo": 0, "draft": 1, "submitted": 2}
    return sorted(items, key=lambda i: (order[i.state], i.application.id))


def find_review(session: Session, judge: User, application: Application, round: str = PRELIMINARY
                ) -> Review | None:
    return session.scalar(select(Review).where(
        Review.judge_id == judge.id, Review.application_id == application.id, Review.round == round)
        .options(selectinload(Review.scores)))


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
    if judge.role != Role.JUDGE:
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


def submit_review(session: Session, judge: User, application: Application, scores: Mapping[str, float | None],
                  comments: Mapping[str, str] | None = None, *, round: str = PRELIMINARY,
                  overall_comment: str | None = None, expected_version: int | None = None) -> Review:
    return save_review(session, judge, application, scores, comments, submit=True, round=round,
                       overall_comment=overall_comment, expected_version=expected_version)


def _is_zh() -> bool:
    try:
        from roadshow.i18n import is_chinese

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
    return list(session.scalars(
        select(Review).where(Review.application_id == application.id, Review.round == PRELIMINARY,
                             Review.judge_id != judge.id, Review.status == ReviewStatus.SUBMITTED)
        .options(selectinload(Review.scores)).order_by(Review.id)))


def application_reviews(session: Session, application: Application, round: str = PRELIMINARY) -> list[Review]:
    return list(session.scalars(
        select(Review).where(Review.application_id == application.id, Review.round == round)
        .options(selectinload(Review.scores), selectinload(Review.judge)).order_by(Review.id)))


# --- district docking ----------------------------------------------------------------------

def recruiter_applications(session: Session, recruiter: User, event: Event, *, scope: str = "district",
                           track_id: int | None = None, level: str | None = None) -> list[Application]:
    query = (select(Application).where(Application.event_id == event.id, Application.status.in_(IN_REVIEW))
             .options(selectinload(Application.track), selectinload(Application.districts))
             .order_by(Application.id))
    if scope == "district" and recruiter.district_id is not None:
        query = query.where(Application.id.in_(
            select(application_districts.c.application_id)
            .where(application_districts.c.district_id == recruiter.district_id)))
    if track_id:
        query = query.where(Application.track_id == track_id)
    apps = list(session.scalars(query))
    if level:
        marks = district_interests(session, recruiter.district_id)
        apps = [a for a in apps if (marks[a.id].level.value if a.id in marks else "none") == level]
    return apps


def district_interests(session: Session, district_id: int | None) -> dict[int, DistrictInterest]:
    if district_id is None:
        return {}
    return {i.application_id: i for i in session.scalars(
        select(DistrictInterest).where(DistrictInterest.district_id == district_id))}


def set_interest(session: Session, recruiter: User, application: Application, level: InterestLevel,
                 note: str) -> DistrictInterest:
    if recruiter.role != Role.RECRUITER or recruiter.district_id is None:
        raise ReviewError(_("Only a district's recruiters can mark its interest."))
    if application.status not in IN_REVIEW:
        raise ReviewError(_("This application is not open for docking."))
    interest = session.scalar(select(DistrictInterest).where(
        DistrictInterest.application_id == application.id,
        DistrictInterest.district_id == recruiter.district_id))
    if interest is None:
        interest = DistrictInterest(application_id=application.id, district_id=recruiter.district_id)
        session.add(interest)
    interest.level = level
    interest.note = note.strip()
    interest.recruiter_id = recruiter.id
    interest.updated_at = utcnow()
    session.flush()
    return interest


def interests_by_application(session: Session, event_id: int) -> dict[int, list[DistrictInterest]]:
    result: dict[int, list[DistrictInterest]] = defaultdict(list)
    for interest in session.scalars(
        select(DistrictInterest).join(Application, Application.id == DistrictInterest.application_id)
        .where(Application.event_id == event_id, DistrictInterest.level != InterestLevel.NONE)
        .options(selectinload(DistrictInterest.district))
        .order_by(DistrictInterest.level.desc(), DistrictInterest.id)):
        result[interest.application_id].append(interest)
    return result


def interest_per_district(session: Session, event: Event) -> list[tuple[Any, int, int]]:
    """(district, interested, strongly interested) for every district of the event."""
    counts: Counter[tuple[int, InterestLevel]] = Counter()
    for district_id, level, n in session.execute(
        select(DistrictInterest.district_id, DistrictInterest.level, func.count())
        .join(Application, Application.id == DistrictInterest.application_id)
        .where(Application.event_id == event.id).group_by(DistrictInterest.district_id, DistrictInterest.level)):
        counts[(district_id, level)] = n
    return [(d, counts[(d.id, InterestLevel.INTERESTED)], counts[(d.id, InterestLevel.STRONG)])
            for d in event.districts]


def recruiter_may_see_scores(session: Session, event: Event) -> bool:
    return get_settings(session, event).recruiters_see_scores


def may_read_deck(session: Session, user: User, application: Application) -> bool:
    """The review domain's rule for decks: assigned, unconflicted judges; recruiters of a
    district the applicant chose or that marked interest, when the organizer allows it."""
    if user.role == Role.JUDGE:
        return judge_may_open(session, user, application)
    if user.role == Role.RECRUITER and user.district_id is not None and application.status in IN_REVIEW:
        if not get_settings(session, application.event).recruiters_read_decks:
            return False
        if any(d.id == user.district_id for d in application.districts):
            return True
        return session.scalar(select(func.count()).select_from(DistrictInterest).where(
            DistrictInterest.application_id == application.id,
            DistrictInterest.district_id == user.district_id,
            DistrictInterest.level != InterestLevel.NONE)) > 0
    return False


# --- aggregation and ranking ---------------------------------------------------------------

def review_points(session: Session, event_id: int, round: str = PRELIMINARY) -> list[scoring.ReviewPoint]:
    """The submitted reviews that count: a review whose judge has a conflict of interest with
    the application (recorded even after the review was submitted, and not dismissed) stays on
    record but is left out of every total and ranking while the conflict stands."""
    conflicted = select(Conflict.id).where(
        Conflict.judge_id == Review.judge_id, Conflict.application_id == Review.application_id,
        Conflict.dismissed_at.is_(None)).exists()
    return [scoring.ReviewPoint(a, j, t) for a, j, t in session.execute(
        select(Review.application_id, Review.judge_id, Review.total)
        .join(Application, Application.id == Review.application_id)
        .where(Application.event_id == event_id, Review.round == round,
               Review.status == ReviewStatus.SUBMITTED, Review.total.is_not(None),
               Application.status.in_(IN_REVIEW), ~conflicted))]


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
    apps = list(session.scalars(
        select(Application).where(Application.event_id == event.id, Application.status.in_(IN_REVIEW))
        .options(selectinload(Application.track), selectinload(Application.applicant))))
    decisions = {d.application_id: d for d in session.scalars(
        select(SelectionDecision).where(SelectionDecision.event_id == event.id))}
    interest = interests_by_application(session, event.id)
    rows = [RankedRow(a, aggregates.get(a.id), decisions.get(a.id), interest.get(a.id, []), live.get(a.id))
            for a in apps]
    rows.sort(key=lambda r: (r.aggregate is None,
                             scoring.normalised_key(r.aggregate) if r.aggregate else (0, 0, 0, 0, r.application.id)))
    return rows


# --- selection and decisions ---------------------------------------------------------------

@dataclass
class Commitment:
    """What a current finalist already holds: the decision email, a pitch in the schedule."""

    application: Application
    notified: bool
    pitch_at: datetime | None = None

    @property
    def binding(self) -> bool:
        return self.notified or self.pitch_at is not None


@dataclass
class SelectionPlan:
    """What selecting by the rule would change, before anything is saved or sent.

    ``held``: finalists the rule would drop who were already told or are scheduled; they stay
    unless the organizer releases them by name (``released``). ``going_out`` includes the
    released ones."""

    chosen: list[int]
    going_in: list[Application]
    going_out: list[Commitment]
    held: list[Commitment]
    released: list[Commitment]
    fingerprint: str

    @property
    def changes(self) -> bool:
        return bool(self.going_in or self.going_out)


def commitments(session: Session, event: Event, applications: Sequence[Application],
                decisions: Mapping[int, SelectionDecision | None]) -> dict[int, Commitment]:
    """The current finalists' commitments: decision sent as finalist, pitch placed (asked of
    the later stages through :data:`finalist_commitments`)."""
    ids = [a.id for a in applications]
    pitches: dict[int, datetime] = {}
    if ids:
        for _receiver, answer in finalist_commitments.send(session=session, event=event, application_ids=ids):
            for app_id, at in (answer or {}).items():
                pitches[app_id] = min(at, pitches.get(app_id, at))
    out = {}
    for a in applications:
        decision = decisions.get(a.id)
        notified = (a.status == ApplicationStatus.FINALIST
                    or (decision is not None and decision.selected and decision.notified_at is not None))
        out[a.id] = Commitment(a, notified, pitches.get(a.id))
    return out


def plan_selection(session: Session, event: Event, release: Iterable[int] = ()) -> SelectionPlan:
    """Select by the rule (top N by normalised score, track quotas, the organizer's overrides)
    without saving anything: who goes in, who goes out. Finalists already notified or scheduled
    keep their seats (taken first, so the list may run over the count when overrides add
    more) unless their id is in ``release``; those the rule alone would drop are ``held`` for
    the organizer to release by name. An override out, made by name with a reason, is honoured
    as it stands."""
    settings = get_settings(session, event)
    rows = ranking(session, event)
    decisions = {r.application.id: r.decision for r in rows}
    forced_in = [a for a, d in decisions.items() if d is not None and d.overridden and d.selected]
    forced_out = [a for a, d in decisions.items() if d is not None and d.overridden and not d.selected]
    quota = {int(k): int(v) for k, v in (settings.track_quota or {}).items() if int(v) > 0}
    aggregates = [r.aggregate for r in rows if r.aggregate is not None]
    track_of = {r.application.id: r.application.track_id for r in rows}

    def rule(extra_in: Sequence[int]) -> list[int]:
        return scoring.select_finalists(aggregates, settings.finalist_count, track_of=track_of,
                                        quota=quota or None, forced_in=[*forced_in, *extra_in],
                                        forced_out=forced_out)

    current = [r.application for r in rows if r.decision is not None and r.decision.selected]
    committed = commitments(session, event, current, decisions)
    by_rule = set(rule([]))
    release = set(release)
    binding = [c for c in committed.values() if c.binding and c.application.id not in forced_out]
    at_risk = [c for c in binding if c.application.id not in by_rule]
    held = [c for c in at_risk if c.application.id not in release]
    released = [c for c in at_risk if c.application.id in release]
    # every binding finalist not released keeps their seat, taken before the rule fills the rest
    chosen = rule([c.application.id for c in binding if c.application.id not in release])
    chosen_set = set(chosen)
    current_ids = {a.id for a in current}
    apps = {r.application.id: r.application for r in rows}
    going_in = [apps[a] for a in chosen if a not in current_ids]
    going_out = [committed[a.id] for a in current if a.id not in chosen_set]
    digest = hashlib.sha256(repr((sorted(chosen), sorted(c.application.id for c in released)))
                            .encode()).hexdigest()[:16]
    return SelectionPlan(chosen, going_in, going_out, held, released, digest)


def select_finalists(session: Session, actor: User, event: Event, *, release: Iterable[int] = (),
                     expect: str | None = None) -> list[int]:
    """Decide every application as :func:`plan_selection` plans it, keeping the organizer's
    overrides and every notified or scheduled finalist not released by name. ``expect`` is the
    fingerprint of the plan the organizer saw: if the plan changed since, nothing is saved.
    Returns the finalists' ids in rank order."""
    plan = plan_selection(session, event, release)
    if expect is not None and expect != plan.fingerprint:
        raise ReviewError(_("The ranking or the decisions changed since you looked at the changes. "
                            "Nothing was saved: check the changes below again."))
    finalists = set(plan.chosen)
    now = utcnow()
    for row in ranking(session, event):
        app_id = row.application.id
        decision = row.decision
        if decision is None:
            decision = SelectionDecision(event_id=event.id, application_id=app_id)
            session.add(decision)
        if decision.selected != (app_id in finalists) and decision.notified_at is not None:
            decision.notified_at = None  # changed after sending: to be sent again
        decision.selected = app_id in finalists
        decision.rank = row.aggregate.normalised_rank if row.aggregate else None
        decision.decided_by_id = actor.id
        decision.decided_at = now
    session.flush()
    return plan.chosen


def override_decision(session: Session, actor: User, application: Application, selected: bool,
                      reason: str) -> SelectionDecision:
    reason = reason.strip()
    if len(reason) < 5:
        raise ReviewError(_("Write the reason for the override (at least a short sentence): it is "
                            "recorded with the decision."))
    decision = session.scalar(select(SelectionDecision).where(SelectionDecision.application_id == application.id))
    if decision is None:
        decision = SelectionDecision(event_id=application.event_id, application_id=application.id)
        session.add(decision)
    if decision.notified_at is not None and decision.selected != selected:
        decision.notified_at = None
    decision.selected = selected
    decision.overridden = True
    decision.override_reason = reason
    decision.decided_by_id = actor.id
    decision.decided_at = utcnow()
    session.flush()
    return decision


def clear_override(session: Session, actor: User, decision: SelectionDecision) -> None:
    decision.overridden = False
    decision.override_reason = ""
    decision.decided_by_id = actor.id
    decision.decided_at = utcnow()


@dataclass
class SendProgress:
    total: int
    sent: int

    @property
    def remaining(self) -> int:
        return self.total - self.sent

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 100


def send_progress(session: Session, event: Event) -> SendProgress:
    total = session.scalar(select(func.count()).select_from(SelectionDecision)
                           .where(SelectionDecision.event_id == event.id)) or 0
    sent = session.scalar(select(func.count()).select_from(SelectionDecision).where(
        SelectionDecision.event_id == event.id, SelectionDecision.notified_at.is_not(None))) or 0
    return SendProgress(total, sent)


def send_decisions(session: Session, actor: User, event: Event, *, limit: int = 25,
                   email: bool = True) -> SendProgress:
    """Send the next ``limit`` decisions: set each application's status (FINALIST or
    NOT_SELECTED) and email its applicant in their language. Closes the review first."""
    settings = get_settings(session, event)
    if settings.closed_at is None:
        settings.closed_at = utcnow()
    pending = list(session.scalars(
        select(SelectionDecision).where(SelectionDecision.event_id == event.id,
                                        SelectionDecision.notified_at.is_(None))
        .options(selectinload(SelectionDecision.application).selectinload(Application.applicant))
        .order_by(SelectionDecision.rank.is_(None), SelectionDecision.rank, SelectionDecision.id)
        .limit(limit)))
    now = utcnow()
    for decision in pending:
        application = decision.application
        if application.status == ApplicationStatus.WITHDRAWN:
            # withdrawn since the selection: the applicant's choice stands and no decision is sent
            decision.notified_at = now
            continue
        was_finalist = application.status == ApplicationStatus.FINALIST
        application.status = ApplicationStatus.FINALIST if decision.selected else ApplicationStatus.NOT_SELECTED
        if was_finalist and not decision.selected:
            # a pitch still to come is freed with the decision (see roadshow.review.signals)
            finalist_demoted.send(session=session, application=application, actor=actor)
        if email:
            from roadshow.mail.outbox import queue_email

            queue_email(application.applicant,
                        "review/mail/finalist" if decision.selected else "review/mail/not_selected",
                        {"application": application, "event": event, "decision": decision,
                         "was_finalist": was_finalist},
                        session=session)
        decision.notified_at = now
    session.flush()
    return send_progress(session, event)


def close_review(session: Session, actor: User, event: Event) -> None:
    get_settings(session, event).closed_at = utcnow()


def reopen_review(session: Session, actor: User, event: Event) -> None:
    get_settings(session, event).closed_at = None


def bulk_set_status(session: Session, ids: Iterable[int], status: ApplicationStatus) -> None:
    ids = list(ids)
    if ids:
        session.execute(update(Application).where(Application.id.in_(ids))
                        .values(status=status, version=Application.version + 1)
                        .execution_options(synchronize_session=False))
