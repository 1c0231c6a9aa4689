"""The schedule's background job: sending the calendar invitations, updates and cancellations.

Runs in a job-queue worker (roadshow.jobs). ``send_invites`` records each batch of 25 sent
invites in the same transaction as their outbox messages, so a send that stopped half-way (a
restart, a failed attempt) resumes with what was not sent yet; the bar counts on from the
invites already recorded for this sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from roadshow.accounts.models import User
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.jobs.kinds import JobFailure, Progress
from roadshow.jobs.models import Job
from roadshow.scheduling import sending
from roadshow.scheduling.models import SendJob
from roadshow.scoping import get_in_event

SEND_INVITES = "scheduling.send_invites"


def send_invites(job: Job, progress: Progress) -> Mapping[str, Any]:
    session = db.session
    event = session.get(Event, job.event_id) if job.event_id else None
    actor = session.get(User, job.actor_id) if job.actor_id else None
    if event is None or actor is None:
        raise JobFailure("gone", f"event {job.event_id} or user {job.actor_id} is gone", retry=False)
    record = get_in_event(session, SendJob, job.params.get("send_job_id", 0), event)
    if record is None:
        record = SendJob(event_id=event.id, actor_id=actor.id)
        session.add(record)
        session.flush()
        job.params = {**job.params, "send_job_id": record.id}
        session.commit()
    already = record.requests + record.cancels

    def step(done: int, total: int) -> None:
        progress(already + done, already + total)

    sending.send_invites(session, actor, event, record, progress=step)
    return {"requests": record.requests, "cancels": record.cancels}


kinds.register(kinds.Kind(
    name=SEND_INVITES, handler=send_invites, title=_l("Sending calendar invitations"),
    summary_template="scheduling/_job_summary.html", back_endpoint="scheduling.manage",
))
