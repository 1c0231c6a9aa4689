"""The outbox's background job: sending every waiting or failed message again.

Runs in a job-queue worker (roadshow.jobs), one message after the other so the bar moves. A
message that went out is no longer waiting, so a retry cut short and resumed never sends a
message twice; the counts at the end are read from the messages themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.jobs.kinds import Progress
from roadshow.jobs.models import Job
from roadshow.mail.models import OutboxMessage, OutboxStatus
from roadshow.mail.outbox import deliver

RETRY = "mail.retry"


def retry_messages(job: Job, progress: Progress) -> Mapping[str, Any]:
    ids: list[int] = list(job.params["ids"])
    for index in range(job.done, len(ids)):
        deliver([ids[index]])
        progress(index + 1, len(ids))
    counts = dict(db.session.execute(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.id.in_(ids))
        .group_by(OutboxMessage.status)).all())
    return {"delivered": counts.get(OutboxStatus.SENT, 0) + counts.get(OutboxStatus.KEPT, 0),
            "failed": counts.get(OutboxStatus.FAILED, 0)}


kinds.register(kinds.Kind(
    name=RETRY, handler=retry_messages, title=_l("Sending the waiting messages again"),
    summary_template="mail/_job_summary.html", back_endpoint="mail.index",
))
