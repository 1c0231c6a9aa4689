"""Retrying undelivered messages in bulk, in the background, with progress to show.

A bulk retry runs in a thread of the serving process (a greenlet under gevent) and records
its progress here; the organizer's page reloads itself until the job is done. One job runs at
a time per process; asking again while one runs shows the running job.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.mail.models import OutboxMessage, OutboxStatus

RETRYABLE = (OutboxStatus.QUEUED, OutboxStatus.FAILED)


@dataclass
class RetryJob:
    id: str
    total: int
    done: int = 0
    delivered: int = 0
    failed: int = 0
    finished: bool = False
    error: str = ""
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


_jobs: dict[str, RetryJob] = {}
_lock = threading.Lock()


def retryable_ids(session: Session) -> list[int]:
    return list(session.scalars(select(OutboxMessage.id)
                                .where(OutboxMessage.status.in_(RETRYABLE))
                                .order_by(OutboxMessage.id)))


def running_job() -> RetryJob | None:
    with _lock:
        return next((job for job in _jobs.values() if not job.finished), None)


def get_job(job_id: str) -> RetryJob | None:
    return _jobs.get(job_id)


def start_retry(app: Any, ids: list[int]) -> RetryJob:
    """Start delivering ``ids`` one by one in the background (or return the running job)."""
    with _lock:
        for job in _jobs.values():
            if not job.finished:
                return job
        job = RetryJob(id=uuid.uuid4().hex[:12], total=len(ids))
        _jobs[job.id] = job
    job.thread = threading.Thread(target=_run, args=(app, job, ids), daemon=True,
                                  name=f"outbox-retry-{job.id}")
    job.thread.start()
    return job


def _run(app: Any, job: RetryJob, ids: list[int]) -> None:
    from roadshow.mail.outbox import deliver

    try:
        with app.app_context():
            for message_id in ids:
                if deliver([message_id]):
                    job.delivered += 1
                else:
                    job.failed += 1
                job.done += 1
    except Exception as error:  # noqa: BLE001 - shown to the organizer, the job must end
        job.error = f"{type(error).__name__}: {error}"
    finally:
        job.finished = True
