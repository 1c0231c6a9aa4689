"""The job queue: Huey, with SQLite in the instance folder by default and Redis in production.

``roadshow serve`` starts one ``roadshow jobs worker`` process beside itself (a job must not
hold the server's event loop); production runs its own ``roadshow jobs worker`` processes beside
the web servers and serves with ``--no-worker``. Huey carries only the id of a :class:`~roadshow.jobs.models.Job`; the row
holds progress and the outcome. Huey persists queued and scheduled (retrying) tasks, so they
outlive a restart; a job that was running when its worker died is handed to the queue again
(at the start of the embedded consumer, and by a sweep every minute for stalled ones), and
resumes where its last committed step left it. Two copies of one job run once (see
``services.claim``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab
from huey import signals as huey_signals
from huey.api import Huey, Task
from huey.consumer import Consumer
from huey.exceptions import CancelExecution
from sqlalchemy.exc import SQLAlchemyError

from roadshow.extensions import db
from roadshow.jobs import kinds, services
from roadshow.jobs.kinds import JobFailure
from roadshow.jobs.models import Job

log = logging.getLogger("roadshow.jobs")

EXTENSION = "roadshow.jobs"
TASK_NAME = "run_job"


class JobQueue:
    """The app's Huey instance and the one task that runs every kind of job."""

    def __init__(self, app: Flask, huey: Huey) -> None:
        self.app = app
        self.huey = huey
        self.embedded = isinstance(huey, SqliteHuey)
        self.run_job = huey.task(context=True, name=TASK_NAME)(self._run_job)
        huey.periodic_task(crontab(), name="recover_stalled_jobs")(self.recover_stalled)
        for work in kinds.periodic_work():  # the domains' (roadshow.JOB_MODULES load them first)
            huey.periodic_task(crontab(minute=work.minute, hour=work.hour), name=work.name)(
                self._periodic(work))
        huey.signal(huey_signals.SIGNAL_INTERRUPTED)(self._interrupted)

    # --- handing jobs to the queue ----------------------------------------------------------

    def enqueue(self, job: Job) -> None:
        """Hand a committed job to the queue with its kind's retry policy."""
        kind = kinds.get(job.kind)
        policy = ({} if kind is None else
                  {"retries": kind.retries, "retry_delay": kind.retry_delay,
                   "retry_backoff": kind.retry_backoff})
        self.huey.enqueue(self.run_job.s(job.id, **policy))

    def recover(self, *, everything: bool = False) -> int:
        """Hand back to the queue the jobs whose worker is gone: all queued or running ones at
        the start of the only (embedded) consumer, else those without a heartbeat for a while."""
        with self.app.app_context():
            session = db.session
            jobs = services.unfinished(session) if everything else services.stalled(session)
            for job in jobs:
                log.warning("job %s (%s) has no worker; handing it to the queue again", job.id, job.kind)
                services.requeue(session, job)
                self.enqueue(job)
            return len(jobs)

    def recover_stalled(self) -> None:
        self.recover()

    def _interrupted(self, _signal: str, task: Task, *_args: Any) -> None:
        """A worker stopped mid-job (server shut down): the job waits for the next worker."""
        if type(task).__name__ != TASK_NAME:
            return
        with self.app.app_context():
            job = db.session.get(Job, task.args[0])
            if job is not None and job.active:
                services.requeue(db.session, job)
                self.enqueue(job)

    def _periodic(self, work: kinds.Periodic) -> Callable[[], None]:
        def run() -> None:
            with self.app.app_context():
                try:
                    work.run()
                except Exception:
                    db.session.rollback()
                    log.exception("periodic work %s failed", work.name)
                    raise
        return run

    # --- running one job ---------------------------------------------------------------------

    def _run_job(self, job_id: int, task: Task | None = None) -> None:
        with self.app.app_context():
            session = db.session
            job = services.claim(session, job_id)
            if job is None:
                log.info("job %s is finished or taken by another worker; skipping", job_id)
                return
            kind = kinds.get(job.kind)
            if kind is None:
                services.fail(session, job_id, "unexpected", f"no handler for job kind {job.kind!r}")
                raise CancelExecution(retry=False)

            def progress(done: int, total: int) -> None:
                services.progress(session, job, done, total)

            try:
                summary = kind.handler(job, progress)
            except JobFailure as error:
                key, detail, retry, cause = error.key, error.detail or str(error), error.retry, error
            except SQLAlchemyError as error:
                key, detail, retry, cause = "database", repr(error), True, error
            except Exception as error:  # noqa: BLE001 - recorded for the person, retried by Huey
                key, detail, retry, cause = "unexpected", repr(error), True, error
            else:
                services.finish(session, session.get(Job, job_id), summary)
                log.info("job %s (%s) done", job_id, job.kind)
                return
            remaining = task.retries if task is not None else 0
            final = not retry or not remaining
            delay = None if final else float(task.retry_delay or 0)  # type: ignore[union-attr]
            services.fail(session, job_id, key, detail, retry_in=delay)
            log.warning("job %s (%s) failed (%s): %s%s", job_id, job.kind, key, detail,
                        "" if final else f"; retrying in {delay:.0f}s")
            if not retry:
                raise CancelExecution(retry=False) from cause
            raise cause


def make_huey(app: Flask) -> Huey:
    """The queue keeps no task results: the Job row is the outcome (results would pile up)."""
    immediate = bool(app.config["JOBS_IMMEDIATE"])
    redis_url = app.config.get("JOBS_REDIS_URL")
    if redis_url:
        return RedisHuey(app.config["REDIS_NAMESPACE"], url=redis_url, immediate=immediate,
                         utc=True, results=False)
    path = Path(app.config["JOBS_SQLITE_PATH"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("roadshow", filename=str(path), immediate=immediate, utc=True,
                      results=False)


def init_app(app: Flask) -> JobQueue:
    """Set up the queue: Redis when ``ROADSHOW_REDIS_URL`` is set, else SQLite in instance/.
    Tests run jobs inside the request (Huey's immediate mode) unless they ask otherwise."""
    app.config.setdefault("JOBS_IMMEDIATE", app.testing)
    app.config.setdefault("JOBS_REDIS_URL", app.config.get("REDIS_URL"))
    app.config.setdefault("JOBS_SQLITE_PATH", str(Path(app.instance_path) / "jobs.db"))
    queue = JobQueue(app, make_huey(app))
    app.extensions[EXTENSION] = queue
    return queue


def job_queue(app: Flask | None = None) -> JobQueue:
    return (app or current_app).extensions[EXTENSION]  # type: ignore[no-any-return]


class EmbeddedConsumer(Consumer):
    """A consumer inside another program (a test, an embedding server), which keeps its own
    SIGINT and SIGTERM handlers."""

    def _set_signal_handlers(self) -> None:
        pass


def consumer(queue: JobQueue, *, workers: int = 2, worker_type: str = "thread",
             embedded: bool = False) -> Consumer:
    """A Huey consumer for this queue; SQLite is polled at most a second apart, Redis blocks."""
    cls = EmbeddedConsumer if embedded else Consumer
    return cls(queue.huey, workers=workers, worker_type=worker_type, periodic=True,
               initial_delay=0.1, backoff=1.15, max_delay=1.0, shutdown_timeout=10)


def run_pending(queue: JobQueue, now: datetime | None = None, limit: int | None = None) -> int:
    """Do one consumer's work in the calling thread: move the retries due at ``now`` (the
    caller's clock, naive UTC as Huey keeps it) to the queue, then run queued tasks until none is
    left (or ``limit`` ran). Returns how many ran. For tests and benchmarks that must not depend
    on a consumer's timing."""
    huey = queue.huey
    for task in huey.read_schedule(now):
        huey.enqueue(task)
    ran = 0
    while (limit is None or ran < limit) and (task := huey.dequeue()) is not None:
        huey.execute(task, now)
        ran += 1
    return ran
