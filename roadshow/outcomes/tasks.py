"""Tasks across units (issue 15): the office's plan for an event or a year, each task with a
lead unit, member units, a deadline, a status and a note of the evidence. Organizers write the
plan; a unit sees the tasks it leads or joins and updates their status and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.models import Event
from roadshow.organisations.models import Organisation
from roadshow.outcomes.models import Task, TaskStatus, task_members
from roadshow.outcomes.projects import OutcomeError, OutcomeForbiddenError, is_organizer

signals = Namespace()
#: sent with the session as sender and ``task=`` after a task's plan or progress changed
task_changed = signals.signal("outcome-task-changed")


@dataclass(frozen=True)
class TaskData:
    title: str
    lead_district_id: int | None
    member_ids: tuple[int, ...]
    due_on: date | None
    event_id: int | None
    year: int | None


def units_of(task: Task) -> set[int]:
    return {task.lead_district_id, *(d.id for d in task.members)}


def may_see(grant: Any, task: Task) -> bool:
    return is_organizer(grant) or bool(units_of(task) & set(grant.district_ids))


def tasks_of(session: Session, organisation: Organisation, grant: Any, *,
             year: int | None = None, event_id: int | None = None,
             district_id: int | None = None) -> list[Task]:
    """The office's tasks the actor sees (a unit: those it leads or joins), by deadline."""
    stmt = (select(Task).where(Task.organisation_id == organisation.id)
            .options(selectinload(Task.members), selectinload(Task.lead_district))
            .order_by(Task.due_on, Task.id))
    if year is not None:
        stmt = stmt.where(Task.year == year)
    if event_id is not None:
        stmt = stmt.where(Task.event_id == event_id)

    def touching(ids: list[int]) -> Any:
        return or_(Task.lead_district_id.in_(ids), Task.id.in_(
            select(task_members.c.task_id).where(task_members.c.district_id.in_(ids))))

    if district_id is not None:
        stmt = stmt.where(touching([district_id]))
    if not is_organizer(grant):
        stmt = stmt.where(touching(sorted(grant.district_ids)))
    return list(session.scalars(stmt))


def _districts(session: Session, organisation: Organisation, ids: list[int]) -> list[District]:
    found = list(session.scalars(select(District).where(
        District.id.in_(ids), District.organisation_id == organisation.id)))
    if len(found) != len(set(ids)):
        raise OutcomeError(_("Choose the units among the office's districts."), "members")
    return found


def save_task(session: Session, organisation: Organisation, actor: User, grant: Any,
              task: Task | None, data: TaskData, now: datetime | None = None) -> Task:
    """An organizer adds or changes a task of the office's plan."""
    if not is_organizer(grant):
        raise OutcomeForbiddenError("only organizers plan tasks")
    title = (data.title or "").strip()
    if not title:
        raise OutcomeError(_("Say what the task is."), "title")
    if data.lead_district_id is None:
        raise OutcomeError(_("Choose the lead unit."), "lead")
    lead = _districts(session, organisation, [data.lead_district_id])[0]
    members = _districts(session, organisation,
                         [i for i in data.member_ids if i != data.lead_district_id])
    if data.due_on is None:
        raise OutcomeError(_("Enter the deadline as a date."), "due_on")
    event = None
    if data.event_id is not None:
        event = session.scalar(select(Event).where(Event.id == data.event_id,
                                                   Event.organisation_id == organisation.id))
        if event is None:
            raise OutcomeError(_("Choose one of the office's events, or none."), "event")
    year = data.year or data.due_on.year
    if not 2000 <= year <= 2999:
        raise OutcomeError(_("Enter the plan's year, for example 2026."), "year")
    now = now or utcnow()
    if task is None:
        task = Task(organisation_id=organisation.id, created_at=now)
        session.add(task)
    task.title = title[:300]
    task.lead_district = lead
    task.members = members
    task.due_on = data.due_on
    task.event_id = event.id if event is not None else None
    task.year = year
    task.updated_at = now
    task.updated_by_id = actor.id
    session.flush()
    task_changed.send(session, task=task)
    return task


def update_progress(session: Session, task: Task, actor: User, grant: Any, *, status: str,
                    note: str, now: datetime | None = None) -> Task:
    """The lead or a member unit (or an organizer) sets the status and the evidence note."""
    if not may_see(grant, task):
        raise OutcomeForbiddenError("the task is no unit's of the actor")
    try:
        task.status = TaskStatus(status)
    except ValueError:
        raise OutcomeError(_("Choose the task's status."), "status") from None
    task.evidence_note = (note or "").strip()[:4000]
    task.updated_at = now or utcnow()
    task.updated_by_id = actor.id
    session.flush()
    task_changed.send(session, task=task)
    return task
