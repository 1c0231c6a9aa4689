"""The rules of following a project (pure): the default milestones, when a milestone or a task
is overdue, and what a confirmed milestone's entry in the intent's audit trail records.

The record covers every field of :class:`MilestoneRecord` by construction (its details are
built from the dataclass's fields, not from a list kept by hand), and the services build a
record from every column of the milestone table but those ``NOT_RECORDED`` excuses: a new
column that is neither recorded nor excused fails to construct.

Imports neither Flask nor SQLAlchemy: listed in ``tests/core/test_layers.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

#: the audit trail's action of a confirmed milestone
CONFIRMED_ACTION = "milestone_confirmed"


@dataclass(frozen=True)
class DefaultMilestone:
    code: str
    name_zh: str
    name_en: str
    due_days: int


#: what an office's projects follow until it defines its own (days after the seal)
DEFAULT_MILESTONES = (
    DefaultMilestone("company_registered", "企业注册", "Company registered", 60),
    DefaultMilestone("premises_provided", "办公或实验场地到位", "Office or lab provided", 120),
    DefaultMilestone("first_funds_paid", "首笔资金到账", "First funds paid", 180),
    DefaultMilestone("talent_on_site", "人才到岗", "Talent on site", 240),
    DefaultMilestone("landed", "项目落地", "Landed", 365),
)

#: milestone-table columns a confirmation's record leaves out, and why
NOT_RECORDED = {
    "event_id": "the intent's event: the chain's scope is the intent itself",
    "project_id": "the project is the intent's own",
    "state": "a recorded milestone is confirmed",
    "audit_seq": "the entry's own place in the trail",
    "reminded_at": "a reminder is no part of the outcome",
}


def is_overdue(due_on: date, done: bool, today: date) -> bool:
    """A milestone or task not done by the end of its deadline's day."""
    return not done and due_on < today


def days_late(due_on: date, today: date) -> int:
    return max(0, (today - due_on).days)


@dataclass(frozen=True)
class MilestoneRecord:
    """What a confirmed milestone's audit entry records: every field."""

    id: int
    code: str
    name_zh: str
    name_en: str
    position: int
    responsible_district_id: int
    due_on: date
    evidence_note: str
    amount_cny: int | None
    registered_capital_cny: int | None
    people_on_site: int | None
    submitted_by_id: int | None
    submitted_at: datetime | None
    confirmed_by_id: int | None
    confirmed_at: datetime | None
    #: (file name, SHA-256, size in bytes) of each document, in upload order
    documents: tuple[tuple[str, str, int], ...] = ()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("record times must be aware UTC datetimes")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def record_details(record: MilestoneRecord) -> dict[str, Any]:
    """Every field of the record as JSON values (dates ISO, times UTC text, tuples lists)."""
    return {f.name: _plain(getattr(record, f.name)) for f in fields(record)}


def differences(recorded: Mapping[str, Any], now: MilestoneRecord) -> list[str]:
    """The names of the fields whose value differs between a trail's record and the row now."""
    current = record_details(now)
    return sorted(key for key in set(recorded) | set(current)
                  if recorded.get(key) != current.get(key))


@dataclass(frozen=True)
class PublicMilestone:
    """A confirmed milestone as the public verification page shows it, read from the trail."""

    position: int
    name_zh: str
    name_en: str
    confirmed_at: datetime | None
    amount_cny: int | None
    people_on_site: int | None
    documents: int


def public_milestone(details: Mapping[str, Any]) -> PublicMilestone:
    record = details.get("milestone") or {}
    confirmed = record.get("confirmed_at")
    at = (datetime.strptime(confirmed, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
          if confirmed else None)
    return PublicMilestone(int(record.get("position") or 0), str(record.get("name_zh") or ""),
                           str(record.get("name_en") or ""), at,
                           record.get("amount_cny"), record.get("people_on_site"),
                           len(record.get("documents") or []))
