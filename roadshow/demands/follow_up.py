"""A project-list entry and the task opened for it stay one story (issue 15).

The outcomes layer comes later in the funnel than the demands, so this module declares the way
back and never imports it:

- ``entry_status_changed`` is sent when an officer moves an entry on the project list; the
  outcomes layer listens and moves the entry's task the same way.
- ``follow_task`` is what the outcomes layer calls when a task moves on its own pages: the
  entries opened for it take its status and deadline, and the date it was done or cancelled.
- ``TASK_READERS`` is filled by the outcomes layer when it loads: given task ids, each reader
  answers what the project list shows of them (status, deadline, evidence).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from blinker import Namespace
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.demands.models import ENDED, EntryStatus, ProjectEntry

signals = Namespace()
#: sent with the session as sender and ``entry=``, ``actor=`` after an officer moved an entry
entry_status_changed = signals.signal("demand-project-entry-status-changed")


@dataclass(frozen=True)
class TaskState:
    """What the project list shows of an entry's task."""

    task_id: int
    status: str  # the task's status value: open, in_progress, done or cancelled
    due_on: date
    evidence_note: str
    updated_at: datetime

    @property
    def ended(self) -> bool:
        return self.status in {s.value for s in ENDED}

    def overdue(self, today: date) -> bool:
        return not self.ended and self.due_on < today


#: (session, task ids) -> {task id: TaskState}; the outcomes layer appends its reader
TASK_READERS: list[Callable[[Session, list[int]], dict[int, TaskState]]] = []


def task_states(session: Session, entries: list[ProjectEntry]) -> dict[int, TaskState]:
    """The tasks of these entries, by task id (empty when no later layer is loaded)."""
    ids = sorted({e.task_id for e in entries if e.task_id is not None})
    found: dict[int, TaskState] = {}
    if ids:
        for reader in TASK_READERS:
            found.update(reader(session, ids))
    return found


def mark(entry: ProjectEntry, status: EntryStatus, when: datetime) -> None:
    """Sets an entry's status; an ended entry keeps the date it ended, a reopened one none."""
    if status in ENDED:
        if entry.status != status or entry.closed_at is None:
            entry.closed_at = when
    else:
        entry.closed_at = None
    entry.status = status
    entry.updated_at = when


def follow_task(session: Session, task_id: int, status: str, due_on: date,
                when: datetime | None = None) -> list[ProjectEntry]:
    """A task moved: the entries it was opened for follow (status, deadline, end date)."""
    when = when or utcnow()
    entries = list(session.scalars(select(ProjectEntry).where(ProjectEntry.task_id == task_id)))
    for entry in entries:
        mark(entry, EntryStatus(status), when)
        entry.due_on = due_on
    session.flush()
    return entries


def announce(session: Session, entry: ProjectEntry, actor: Any) -> None:
    entry_status_changed.send(session, entry=entry, actor=actor)
