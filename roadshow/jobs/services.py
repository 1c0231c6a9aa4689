"""Starting, claiming, advancing and ending jobs; who may see them. Takes the session and an
explicit actor; the queue (roadshow.jobs.queue) calls these from its workers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.jobs.kinds import JobFailure
from roadshow.jobs.models import ACTIVE, Job, JobStatus
from roadshow.scoping import scoped, unscoped

if TYPE_CHECKING:
    from roadshow.accounts.models import User

log = logging.getLogger("roadshow.jobs")

#: a running job whose heartbeat is older than this lost its worker (killed server, lost host)
STALL_AFTER = timedelta(minutes=3)


#: Guards a job must pass before it starts on an event: ``guard(session, event_id)`` answers a
#: key of roadshow.jobs.messages.FAILURES to refuse (``"archived"``), or ``None``. The jobs layer
#: knows nothing of events; events fills this list when it loads (roadshow/events/jobs.py).
START_GUARDS: list[Callable[[Session, int], str | None]] = []


def refusal(session: Session, event_id: int | None) -> str | None:
    """Why no job may start on ``event_id`` now (a failure key), or ``None``."""
    if event_id is None:
        return None
    for guard in START_GUARDS:
        key = guard(session, event_id)
        if key:
            return key
    return None


def _of_event(stmt: Any, event_id: int | None) -> Any:
    """``stmt`` scoped to the event a job works on; a platform job (no event) is unscoped."""
    if event_id is None:
        return unscoped(stmt, "a platform job belongs to no event")
    return scoped(stmt, event_id)


def active_job(session: Session, kind: str, event_id: int | None) -> Job | None:
    return session.scalar(_of_event(select(Job).where(
        Job.kind == kind, Job.event_id == event_id, Job.status.in_(ACTIVE)
    ).order_by(Job.id.desc()), event_id))


def start(session: Session, actor: User, kind: str, *, event_id: int | None = None,
          total: int = 0, params: Mapping[str, Any] | None = None) -> tuple[Job, bool]:
    """A new queued job, or the one of this kind for this event still under way (``False``):
    pressing "send" twice must not send twice. The caller commits, then enqueues.

    Raises :class:`JobFailure` (not retried) when a guard refuses the event, e.g. an archived
    one, which can no longer be changed."""
    refused = refusal(session, event_id)
    if refused is not None:
        raise JobFailure(refused, f"event {event_id}: {refused}", retry=False)
    running = active_job(session, kind, event_id)
    if running is not None:
        return running, False
    job = Job(kind=kind, actor_id=actor.id, event_id=event_id, total=total,
              params=dict(params or {}), status=JobStatus.QUEUED)
    session.add(job)
    session.flush()
    log.info("user %s started job %s (%s)", actor.id, job.id, kind)
    return job, True


def claim(session: Session, job_id: int, now: datetime | None = None) -> Job | None:
    """Take the job for this worker, or ``None`` when it is finished or another worker holds it
    (a job enqueued twice, e.g. by the recovery of a stalled job, runs once)."""
    now = now or utcnow()
    claimed = session.execute(
        update(Job).where(Job.id == job_id, or_(
            Job.status.in_((JobStatus.QUEUED, JobStatus.RETRYING)),
            (Job.status == JobStatus.RUNNING) & or_(Job.heartbeat_at.is_(None),
                                                   Job.heartbeat_at < now - STALL_AFTER)))
        .values(status=JobStatus.RUNNING, heartbeat_at=now, attempts=Job.attempts + 1,
                next_attempt_at=None)
        .execution_options(synchronize_session=False)).rowcount
    session.commit()
    if not claimed:
        return None
    job = session.get(Job, job_id)
    session.refresh(job)
    if job.started_at is None:
        job.started_at = now
        session.commit()
    return job


def progress(session: Session, job: Job, done: int, total: int) -> None:
    job.done, job.total = done, max(total, done)
    job.heartbeat_at = utcnow()
    session.commit()


def finish(session: Session, job: Job, summary: Mapping[str, Any]) -> None:
    job.status = JobStatus.DONE
    job.summary = dict(summary)
    job.done = max(job.done, job.total)
    job.error_key = job.error_detail = ""
    job.finished_at = job.heartbeat_at = utcnow()
    session.commit()


#: Told when a job ends FAILED, after its last attempt: ``watcher(session, job)``, in the same
#: transaction. The jobs layer knows nobody to tell; the notifications fill this list when they
#: load (roadshow/notifications/job_failures.py).
FAILURE_WATCHERS: list[Callable[[Session, Job], None]] = []


def fail(session: Session, job_id: int, key: str, detail: str, *,
         retry_in: float | None = None) -> Job | None:
    """Record a failed attempt: ``retry_in`` seconds until the next one, or ``None`` when this
    was the last (the job ends FAILED)."""
    session.rollback()
    job = session.get(Job, job_id)
    if job is None:
        return None
    session.refresh(job)
    job.error_key, job.error_detail = key, detail[:4000]
    now = utcnow()
    job.heartbeat_at = now
    if retry_in is None:
        job.status = JobStatus.FAILED
        job.finished_at = now
        job.next_attempt_at = None
        for watcher in FAILURE_WATCHERS:
            try:
                with session.begin_nested():
                    watcher(session, job)
            except Exception:  # noqa: BLE001 - telling people must not lose the failure itself
                log.exception("a watcher of job %s's failure failed", job.id)
    else:
        job.status = JobStatus.RETRYING
        job.next_attempt_at = now + timedelta(seconds=retry_in)
    session.commit()
    return job


def requeue(session: Session, job: Job) -> None:
    """Before handing a job to the queue again: one whose worker stopped mid-way waits for the
    next worker (and resumes where it was); ``heartbeat_at`` of a queued job is when it was
    last handed over."""
    if job.status == JobStatus.RUNNING:
        job.status = JobStatus.QUEUED
        job.error_key = "interrupted"
    job.heartbeat_at = utcnow()
    session.commit()


def stalled(session: Session, now: datetime | None = None) -> list[Job]:
    """Jobs that must be handed to the queue again: running without a heartbeat for
    STALL_AFTER (their worker died with them), or queued that long since they were last handed
    to it (lost before the queue had them; a duplicate runs once, see claim)."""
    before = (now or utcnow()) - STALL_AFTER
    last_seen = func.coalesce(Job.heartbeat_at, Job.created_at)
    return list(session.scalars(select(Job).where(
        Job.status.in_((JobStatus.RUNNING, JobStatus.QUEUED)), last_seen < before).order_by(Job.id)))


def unfinished(session: Session) -> list[Job]:
    """Every job queued or running: at the start of the only (embedded) consumer, none of them
    can have a worker."""
    return list(session.scalars(select(Job).where(
        Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING))).order_by(Job.id)))


def may_see(user: User, job: Job, organises_its_event: bool) -> bool:
    """The person who started a job follows it; the organizers of its event see it too (they
    share the work: ``organises_its_event``, from their grant there), and so does the platform
    administrator."""
    return job.actor_id == user.id or organises_its_event or bool(user.is_platform_admin)


def recent_for(session: Session, user: User, organises: Callable[[int], bool],
               limit: int = 30) -> list[Job]:
    """The latest jobs ``user`` oversees: every job for the platform administrator; else their
    own and those of the events they organise (``organises(event_id)``, from their grants)."""
    query = select(Job).order_by(Job.id.desc())
    if user.is_platform_admin:
        return list(session.scalars(unscoped(query.limit(limit), "the administrator oversees "
                                             "every event's jobs")))
    candidates = session.scalars(unscoped(
        query.where(or_(Job.actor_id == user.id, Job.event_id.is_not(None))).limit(limit * 10),
        "the jobs page filters the events this person organises below"))
    found = [job for job in candidates if job.actor_id == user.id
             or (job.event_id is not None and organises(job.event_id))]
    return found[:limit]


def latest(session: Session, kind: str, event_id: int | None) -> Job | None:
    return session.scalar(_of_event(select(Job).where(Job.kind == kind, Job.event_id == event_id)
                                    .order_by(Job.id.desc()), event_id))
