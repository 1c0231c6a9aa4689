"""Sending the outbox's waiting messages again is a background job too: the press returns at
once, the outbox links to the running retry, and a retry cut short resumes without a second
copy of any message."""

from __future__ import annotations

from collections import Counter

from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from roadshow.mail.models import OutboxMessage, OutboxStatus
from roadshow.mail.outbox import deliver
from tests.mail.test_outbox_pages import message


def test_the_bulk_retry_runs_in_the_queue_and_resumes_without_sending_twice(login_as, run, mailbox):
    admin, _user = login_as("applicant", is_platform_admin=True)
    for n in range(4):
        message(db, to=f"again{n}@example.org")
    response = admin.post("/outbox/retry")
    job_id = db.session.scalar(db.select(Job.id))
    assert response.headers["Location"] == f"/jobs/{job_id}"
    assert mailbox.messages == []
    outbox = admin.get("/outbox/").get_data(as_text=True)
    assert f'href="/jobs/{job_id}"' in outbox  # the running retry
    assert admin.post("/outbox/retry").headers["Location"] == f"/jobs/{job_id}"
    # a worker delivered two messages, then its server stopped before recording the second
    first_two = db.session.scalars(db.select(OutboxMessage.id).order_by(OutboxMessage.id).limit(2)).all()
    deliver(first_two)
    job = db.session.get(Job, job_id)
    job.done = 1
    db.session.commit()
    assert run() == 1
    done = db.session.get(Job, job_id)
    assert (done.status, done.done, done.summary) == (JobStatus.DONE, 4, {"delivered": 4, "failed": 0})
    sent = Counter(str(m["To"]) for m in mailbox.messages)
    assert sent == {f"again{n}@example.org": 1 for n in range(4)}
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status != OutboxStatus.SENT)) == 0
    page = admin.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "4 of 4 messages handled: 4 delivered, 0 still failing." in page
