"""A confirmed milestone in the intent's hash-chained audit trail: what its entry records (every
column of the milestone but those ``rules.NOT_RECORDED`` excuses, and its documents), checking
that each confirmed milestone still reads as its entry says (``verify-chain`` runs it through
signing's ``TRAIL_CHECKS``), and the confirmed milestones the public verification page shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.outcomes.models import Milestone, MilestoneState, Project
from roadshow.outcomes.rules import (
    CONFIRMED_ACTION,
    NOT_RECORDED,
    MilestoneRecord,
    PublicMilestone,
    differences,
    public_milestone,
    record_details,
)
from roadshow.scoping import across
from roadshow.signing import chain
from roadshow.signing.audit_trail import TRAIL_CHECKS, RequestInfo, audit, lock_intent
from roadshow.signing.models import AuditEntry, Intent


def record_of(milestone: Milestone) -> MilestoneRecord:
    """Every column but those excused, and the documents: a new column must be recorded (a
    field of ``MilestoneRecord``) or excused in ``NOT_RECORDED``, or this fails to construct."""
    values = {column.key: getattr(milestone, column.key) for column in Milestone.__table__.columns
              if column.key not in NOT_RECORDED}
    values["documents"] = tuple((d.original_name, d.sha256, d.size_bytes)
                                for d in milestone.documents)
    return MilestoneRecord(**values)


def append_confirmation(session: Session, milestone: Milestone, actor: User | None,
                        info: RequestInfo, at: datetime) -> AuditEntry:
    """The confirmation's entry at the end of the intent's chain (head signed again)."""
    intent = milestone.project.intent
    lock_intent(session, intent)
    entry = audit(session, intent, CONFIRMED_ACTION, actor, info, at=at,
                  milestone=record_details(record_of(milestone)))
    milestone.audit_seq = entry.seq
    return entry


def _milestones_of(session: Session, intent: Intent) -> dict[int, Milestone]:
    rows = session.scalars(across(
        select(Milestone).join(Project, Project.id == Milestone.project_id)
        .where(Project.intent_id == intent.id).options(selectinload(Milestone.documents)),
        [intent.application.event_id])).all()
    return {m.id: m for m in rows}


def check_trail(session: Session, intent: Intent, rows: list[AuditEntry]) -> list[chain.ChainProblem]:
    """Each confirmed milestone against its entry: a changed amount, note, date, document or
    state, a confirmation without its entry, or an entry whose milestone is gone."""
    recorded = [e for e in rows if e.action == CONFIRMED_ACTION]
    milestones = _milestones_of(session, intent)
    if not recorded and not milestones:
        return []
    problems = []
    entered: set[int] = set()
    for entry in recorded:
        details = (entry.details or {}).get("milestone") or {}
        milestone = milestones.get(int(details.get("id") or 0))
        if milestone is None:
            problems.append(chain.ChainProblem(entry.seq, "milestone",
                                               "records a milestone that is no longer there"))
            continue
        entered.add(milestone.id)
        if milestone.state != MilestoneState.CONFIRMED or milestone.audit_seq != entry.seq:
            problems.append(chain.ChainProblem(
                entry.seq, "milestone", f"milestone {milestone.code!r} is no longer the one "
                                        "confirmed here"))
            continue
        changed = differences(details, record_of(milestone))
        if changed:
            problems.append(chain.ChainProblem(
                entry.seq, "milestone",
                f"milestone {milestone.code!r} differs from its confirmation ({', '.join(changed)})"))
    for milestone in milestones.values():
        if milestone.state == MilestoneState.CONFIRMED and milestone.id not in entered:
            problems.append(chain.ChainProblem(
                milestone.audit_seq or 0, "milestone",
                f"milestone {milestone.code!r} is marked confirmed without its entry in the trail"))
    return problems


def public_milestones(session: Session, intent: Any) -> list[PublicMilestone]:
    """The confirmed milestones as the trail records them, in their order (public page)."""
    if intent is None or not getattr(intent, "id", None):
        return []
    rows = session.scalars(across(
        select(AuditEntry).where(AuditEntry.intent_id == intent.id,
                                 AuditEntry.action == CONFIRMED_ACTION).order_by(AuditEntry.seq),
        [intent.application.event_id])).all()
    latest: dict[Any, PublicMilestone] = {}
    for entry in rows:
        record: dict[str, Any] = (entry.details or {}).get("milestone") or {}
        latest[record.get("id")] = public_milestone(entry.details or {})
    return sorted(latest.values(), key=lambda m: m.position)


def connect() -> None:
    """Idempotent: signing's verification checks the milestones appended to its trails."""
    if check_trail not in TRAIL_CHECKS:
        TRAIL_CHECKS.append(check_trail)
