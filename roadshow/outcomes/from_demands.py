"""A match becoming a project with a task (issue 15): when the office takes a match of the demand
catalogue into its project list (``roadshow.demands.projects.entry_accepted``), the plan gets a
task for the entry's lead unit with the entry's deadline; the entry keeps the task's id."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from roadshow.demands import projects as demand_projects
from roadshow.demands.projects import ProjectEntry
from roadshow.outcomes.models import Task, TaskStatus


def task_title(entry: ProjectEntry, demand: Any, candidate: Any) -> str:
    """Both languages in one line: the plan is read by units in either."""
    names = demand_projects.candidate_names(entry.candidate_kind, candidate)
    zh = f"需求对接：{demand.title_zh or demand.title_en} — {names['candidate_zh']}"
    en = f"Demand match: {demand.title_en or demand.title_zh} — {names['candidate_en']}"
    return f"{zh} / {en}"[:300]


def open_task(session: Session, *, entry: ProjectEntry, demand: Any, candidate: Any,
              actor: Any, **_extra: Any) -> int:
    task = Task(organisation_id=entry.organisation_id, year=entry.due_on.year,
                title=task_title(entry, demand, candidate), lead_district_id=entry.lead_district_id,
                due_on=entry.due_on, status=TaskStatus.OPEN, evidence_note=entry.note,
                created_at=entry.created_at, updated_at=entry.created_at,
                updated_by_id=getattr(actor, "id", None),
                event_id=getattr(candidate, "event_id", None))
    session.add(task)
    session.flush()
    return task.id


def connect() -> None:
    demand_projects.entry_accepted.connect(open_task, weak=False)
