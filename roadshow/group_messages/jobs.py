"""The group messages' background job: one message delivered to its recipients, a batch at a
time, each batch committed with the job's position so a resumed job sends nobody twice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from roadshow.extensions import db
from roadshow.group_messages import services
from roadshow.group_messages.models import GroupMessage
from roadshow.jobs import kinds
from roadshow.jobs.kinds import JobFailure, Progress
from roadshow.jobs.models import Job
from roadshow.scoping import get_in_event


def run_send(job: Job, progress: Progress) -> Mapping[str, Any]:
    session = db.session
    message_id = int(dict(job.params).get("message_id", 0))
    message = get_in_event(session, GroupMessage, message_id, job.event_id) \
        if job.event_id is not None else None
    if message is None:
        raise JobFailure("gone", f"group message {message_id}: gone", retry=False)
    total = len(message.recipients)
    progress(total - sum(r.sent_at is None for r in message.recipients), total)
    services.deliver(session, message, step=lambda done: progress(done, total))
    session.commit()
    return {"sent": message.sent_count, "total": total, "subject_zh": message.subject_zh,
            "subject_en": message.subject_en}


kinds.register(kinds.Kind(
    name=services.KIND, handler=run_send, title=_l("Sending a message to a group"),
    summary_template="group_messages/job_summary.html", back_endpoint="group_messages.index",
    retries=3,
))
