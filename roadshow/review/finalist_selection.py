"""Selecting finalists: the plan by the rule (with pitches already scheduled), overrides,
sending decisions in steps, closing and reopening the review.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import (
    Application,
    ApplicationStatus,
)
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.review import notices, scoring
from roadshow.review.aggregation_and_ranking import ranking
from roadshow.review.exceptions import ReviewError, _
from roadshow.review.models import (
    SelectionDecision,
)
from roadshow.review.settings_and_rubric import get_settings
from roadshow.review.signals import finalist_commitments, finalist_demoted
from roadshow.scoping import across, scoped


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
    decision = session.scalar(across(select(SelectionDecision).where(
        SelectionDecision.application_id == application.id), [application.event_id]))
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
    total = session.scalar(scoped(select(func.count()).select_from(SelectionDecision)
                                  .where(SelectionDecision.event_id == event.id), event)) or 0
    sent = session.scalar(scoped(select(func.count()).select_from(SelectionDecision).where(
        SelectionDecision.event_id == event.id, SelectionDecision.notified_at.is_not(None)), event)) or 0
    return SendProgress(total, sent)


def send_decisions(session: Session, actor: User, event: Event, *, limit: int = 25,
                   email: bool = True) -> SendProgress:
    """Send the next ``limit`` decisions: set each application's status (FINALIST or
    NOT_SELECTED) and email its applicant in their language. Closes the review first."""
    settings = get_settings(session, event)
    if settings.closed_at is None:
        settings.closed_at = utcnow()
    pending = list(session.scalars(scoped(
        select(SelectionDecision).where(SelectionDecision.event_id == event.id,
                                        SelectionDecision.notified_at.is_(None))
        .options(selectinload(SelectionDecision.application).selectinload(Application.applicant))
        .order_by(SelectionDecision.rank.is_(None), SelectionDecision.rank, SelectionDecision.id)
        .limit(limit), event)))
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
        notices.tell_decision(
            session, application, event,
            "review/mail/finalist" if decision.selected else "review/mail/not_selected",
            {"application": application, "event": event, "decision": decision,
             "was_finalist": was_finalist}, email)
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
