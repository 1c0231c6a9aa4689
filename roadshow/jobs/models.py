"""A background job as the person who started it sees it: what it is, how far it got, how it ended.

The queue (Huey) carries only the job's id; this row is the record that survives restarts,
drives the progress bar and keeps the reason of a failure as a message key, so the page can say
it in the reader's language.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.scoping import EventOwned

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.events.models import Event


class JobStatus(StrEnum):
    QUEUED = "queued"        # waiting for a worker
    RUNNING = "running"      # a worker is on it; ``heartbeat_at`` moves with each step
    RETRYING = "retrying"    # an attempt failed; the queue runs it again after a delay
    DONE = "done"
    FAILED = "failed"        # every attempt failed; ``error_key`` says why


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING)


class Job(EventOwned, db.Model):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_kind_event_status", "kind", "event_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, name="job_status", values_callable=lambda values: [v.value for v in values]),
        default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    #: what the job works on, for the handler (ids and flags, never secrets)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: what the job reports when done (counts the page shows), kind-specific
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: a key of roadshow.jobs.messages.FAILURES, translated when shown
    error_key: Mapped[str] = mapped_column(String(80), default="")
    #: the technical reason (exception and message), for the operator's log and the details box
    error_detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    actor: Mapped[User | None] = relationship()
    event: Mapped[Event | None] = relationship()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE and not self.total:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status} {self.done}/{self.total}>"
