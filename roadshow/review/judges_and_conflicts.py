"""Judges and conflicts of interest: declared by a judge, recorded or dismissed by an organizer,
detected from names; one question decides a conflict everywhere (:func:`is_conflicted`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import (
    ApplicantProfile,
    Application,
    application_districts,
)
from roadshow.db import utcnow
from roadshow.events.models import Event, Track
from roadshow.review import notices
from roadshow.review.exceptions import ReviewError, _
from roadshow.review.models import (
    Assignment,
    Conflict,
    ConflictSource,
    JudgeProfile,
    Review,
    ReviewStatus,
)
from roadshow.review.review_scope import event_judges, event_recruiters, review_applications
from roadshow.review.settings_and_rubric import get_settings
from roadshow.scoping import across, scoped


def judge_profile(session: Session, judge: User) -> JudgeProfile:
    profile = session.scalar(select(JudgeProfile).where(JudgeProfile.user_id == judge.id))
    if profile is None:
        profile = JudgeProfile(user_id=judge.id, institution="", associates="")
        session.add(profile)
        session.flush()
    return profile


def save_judge_profile(session: Session, actor: User, judge: User, event: Event, *, institution: str,
                       associates: str, track_ids: Iterable[int], capacity: int | None) -> JudgeProfile:
    """Store what the conflict check and the assignment know about a judge. The tracks of
    expertise chosen are ``event``'s (those of the judge's other events stay); only an organizer
    sets the cap, so a judge editing their own profile leaves it as it was."""
    profile = judge_profile(session, judge)
    profile.institution = institution.strip()
    profile.associates = associates
    if actor.id != judge.id:
        profile.capacity = capacity
    chosen = list(session.scalars(scoped(select(Track).where(Track.id.in_(list(track_ids))), event)))
    profile.tracks = [t for t in profile.tracks if t.event_id != event.id] + chosen
    session.flush()
    return profile


def judges(session: Session, event: Event) -> list[User]:
    """The event's judges: those invited to judge it, not every judge of the platform."""
    return event_judges(session, event)


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
    return session.scalar(across(
        select(func.count()).select_from(Conflict).where(
            Conflict.judge_id == judge.id, Conflict.application_id == application.id,
            Conflict.dismissed_at.is_(None),
        ), [application.event_id])
    ) > 0


def check_conflicts_open(session: Session, event: Event) -> None:
    """Refuse (:class:`ReviewError`) a judge's declaration once the review is closed."""
    if get_settings(session, event).is_closed:
        raise ReviewError(_("The review is closed; conflicts of interest can no longer be declared here. "
                            "If you have one, tell the organizer."))


def declare_conflict(session: Session, judge: User, application: Application, reason: str) -> Conflict:
    """A judge's own declaration; it also withdraws a not-yet-submitted assignment. The judge
    is sent a confirmation and the event's organizers are told (their mails go after the
    commit).

    Refused with a :class:`ReviewError` once the review is closed, as scoring is: the queue
    and the reviews are final then."""
    check_conflicts_open(session, application.event)
    conflict = session.scalar(across(select(Conflict).where(
        Conflict.judge_id == judge.id, Conflict.application_id == application.id,
        Conflict.source == ConflictSource.DECLARED), [application.event_id]))
    if conflict is None:
        conflict = Conflict(event_id=application.event_id, judge_id=judge.id,
                            application_id=application.id, source=ConflictSource.DECLARED)
        session.add(conflict)
    conflict.reason = reason.strip()
    conflict.dismissed_at = None
    _drop_conflicted_assignments(session, application.event_id, [(judge.id, application.id)])
    session.flush()
    notices.tell_conflict(session, conflict, judge, application, "declared")
    notices.tell_organizers_declared(session, conflict, judge, application)
    return conflict


def record_conflict(session: Session, actor: User, judge: User, application: Application,
                    reason: str) -> Conflict:
    """An organizer's record of a judge's conflict: the not-yet-submitted assignment is
    withdrawn and the judge told why."""
    conflict = Conflict(event_id=application.event_id, judge_id=judge.id,
                        application_id=application.id, source=ConflictSource.ORGANIZER,
                        reason=reason.strip())
    existing = session.scalar(across(select(Conflict).where(
        Conflict.judge_id == judge.id, Conflict.application_id == application.id,
        Conflict.source == ConflictSource.ORGANIZER), [application.event_id]))
    if existing is not None:
        existing.reason, existing.dismissed_at = conflict.reason, None
        conflict = existing
    else:
        session.add(conflict)
    dropped = _drop_conflicted_assignments(session, application.event_id,
                                           [(judge.id, application.id)])
    session.flush()
    notices.tell_conflict(session, conflict, judge, application,
                          "recorded" if dropped else "recorded_unassigned")
    return conflict


def dismiss_conflict(session: Session, actor: User, conflict: Conflict) -> None:
    """Set an organizer's (or a detected) conflict aside. The judge of one an organizer recorded
    (they were told of it) is told the application may come back to them, unless another
    conflict still keeps it away."""
    if conflict.source == ConflictSource.DECLARED:
        raise ReviewError(_("A conflict the judge declared can only be withdrawn by the judge."))
    if conflict.dismissed_at is not None:
        return
    conflict.dismissed_at = utcnow()
    conflict.dismissed_by_id = actor.id
    session.flush()
    if conflict.source == ConflictSource.ORGANIZER and not is_conflicted(
            session, conflict.judge, conflict.application):
        notices.tell_conflict(session, conflict, conflict.judge, conflict.application, "dismissed")


def restore_conflict(session: Session, actor: User, conflict: Conflict) -> None:
    """Put a dismissed conflict back in force; the judge of one an organizer recorded is told."""
    if conflict.dismissed_at is None:
        return
    conflict.dismissed_at = None
    conflict.dismissed_by_id = None
    _drop_conflicted_assignments(session, conflict.event_id, [(conflict.judge_id, conflict.application_id)])
    if conflict.source == ConflictSource.ORGANIZER:
        notices.tell_conflict(session, conflict, conflict.judge, conflict.application, "restored")


def withdraw_declared_conflict(session: Session, judge: User, conflict: Conflict) -> None:
    if conflict.judge_id != judge.id or conflict.source != ConflictSource.DECLARED:
        raise ReviewError(_("You can only withdraw a conflict you declared yourself."))
    session.delete(conflict)


def _drop_conflicted_assignments(session: Session, event_id: int, pairs: Iterable[tuple[int, int]]) -> int:
    """Remove assignments a conflict now forbids, unless that review was already submitted."""
    dropped = 0
    for judge_id, app_id in pairs:
        submitted = session.scalar(across(select(func.count()).select_from(Review).where(
            Review.judge_id == judge_id, Review.application_id == app_id,
            Review.status == ReviewStatus.SUBMITTED), [event_id]))
        if submitted:
            continue
        dropped += session.execute(delete(Assignment).where(
            Assignment.judge_id == judge_id, Assignment.application_id == app_id)).rowcount or 0
        session.execute(delete(Review).where(Review.judge_id == judge_id, Review.application_id == app_id,
                                             Review.status == ReviewStatus.DRAFT))
    return dropped


def detect_conflicts(session: Session, event: Event) -> int:
    """Flag likely conflicts: same institution, a team or co-author name in common, or a judge
    who also recruits for a district the applicant chose. Returns how many were new."""
    judge_users = judges(session, event)
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
    existing = set(tuple(r) for r in session.execute(scoped(
        select(Conflict.judge_id, Conflict.application_id, Conflict.source)
        .where(Conflict.event_id == event.id), event)))
    new_rows: list[dict[str, Any]] = []

    def flag(judge: User, app: Application, source: ConflictSource, reason: str) -> None:
        if (judge.id, app.id, source) not in existing:
            existing.add((judge.id, app.id, source))
            new_rows.append(dict(event_id=event.id, judge_id=judge.id, application_id=app.id,
                                 source=source, reason=reason, created_at=utcnow()))

    # a judge who also recruits in this event (the same account, or another with the same email
    # or name) recruits for that district
    recruiting: dict[str, set[int]] = defaultdict(set)
    for recruiter, district_id in event_recruiters(session, event):
        recruiting[f"id:{recruiter.id}"].add(district_id)
        recruiting[recruiter.email.casefold()].add(district_id)
        recruiting[_norm(recruiter.name)].add(district_id)
    for judge in judge_users:
        profile = profiles.get(judge.id)
        institution = _norm(profile.institution) if profile else ""
        districts = (recruiting.get(f"id:{judge.id}", set()) | recruiting.get(judge.email.casefold(), set())
                     | recruiting.get(_norm(judge.name), set()))
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
        _drop_conflicted_assignments(session, event.id, [(r["judge_id"], r["application_id"]) for r in new_rows])
    session.flush()
    return len(new_rows)


def conflicts(session: Session, event_id: int) -> list[Conflict]:
    return list(session.scalars(across(
        select(Conflict).where(Conflict.event_id == event_id)
        .options(selectinload(Conflict.judge), selectinload(Conflict.application))
        .order_by(Conflict.dismissed_at.is_not(None), Conflict.created_at.desc(), Conflict.id.desc()),
        [event_id])))


def active_conflict_pairs(session: Session, event_id: int) -> set[tuple[int, int]]:
    return set(tuple(r) for r in session.execute(across(
        select(Conflict.judge_id, Conflict.application_id)
        .where(Conflict.event_id == event_id, Conflict.dismissed_at.is_(None)), [event_id])))
