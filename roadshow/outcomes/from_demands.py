"""A match becoming a project with a task (issue 15): when the office takes a match of the demand
catalogue into its project list (``roadshow.demands.projects.entry_accepted``), the plan gets a
task for the entry's lead unit with the entry's deadline; the entry keeps the task's id.

From then on the two tell one story: a task moved on the plan's pages (done, cancelled, a new
deadline) moves its entries (``roadshow.demands.follow_up.follow_task``); an entry moved on the
project list moves its task (``entry_status_changed``); and the project list reads each entry's
task through the reader this module adds to ``follow_up.TASK_READERS``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.demands import follow_up
from roadshow.demands import projects as demand_projects
from roadshow.demands.projects import ProjectEntry
from roadshow.outcomes import tasks
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


def task_follows_entry(session: Session, *, entry: ProjectEntry, actor: Any,
                       **_extra: Any) -> None:
    """An officer moved the entry on the project list: its task takes the same status."""
    if entry.task_id is None:
        return
    task = session.get(Task, entry.task_id)
    if task is None or task.status.value == entry.status.value:
        return
    task.status = TaskStatus(entry.status.value)
    task.updated_at = utcnow()
    task.updated_by_id = getattr(actor, "id", None)
    session.flush()


def entries_follow_task(session: Session, *, task: Task, **_extra: Any) -> None:
    """A unit or an organizer moved the task: the entries opened for it follow."""
    follow_up.follow_task(session, task.id, task.status.value, task.due_on, task.updated_at)


def read_tasks(session: Session, ids: list[int]) -> dict[int, follow_up.TaskState]:
    return {t.id: follow_up.TaskState(t.id, t.status.value, t.due_on, t.evidence_note,
                                      t.updated_at)
            for t in session.scalars(select(Task).where(Task.id.in_(ids)))}


def connect() -> None:
    demand_projects.entry_accepted.connect(open_task, weak=False)
    follow_up.entry_status_changed.connect(task_follows_entry, weak=False)
    tasks.task_changed.connect(entries_follow_task, weak=False)
    if read_tasks not in follow_up.TASK_READERS:
        follow_up.TASK_READERS.append(read_tasks)
