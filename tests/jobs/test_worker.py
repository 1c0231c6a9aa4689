"""``roadshow jobs worker``, the process ``roadshow serve`` starts beside itself (and production
runs on its own): it takes the queued invitation send from the SQLite queue, delivers through
real SMTP, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from tests.many_events_fixtures import event_url

pytestmark = pytest.mark.slow


def _wait_for_job(job_id: int, worker: subprocess.Popen[bytes], deadline: float = 90.0) -> Job:
    """Poll the job's row (as the progress page does) until it ends or the worker dies."""
    until = time.monotonic() + deadline
    while time.monotonic() < until and worker.poll() is None:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if not job.active:
            return job
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not end; worker exit code {worker.poll()}")


def test_the_worker_process_sends_the_invitations_and_stops_on_ctrl_c(published, event, app, database_url,
                                                                      smtp_server, mailbox):
    client, finalists, total = published
    client.post(event_url(event, "/schedule/manage/send"))
    job_id = db.session.scalar(db.select(Job.id))
    env = {**os.environ, "ROADSHOW_DATABASE_URL": database_url,
           "ROADSHOW_INSTANCE_PATH": app.instance_path, "ROADSHOW_SECRET_KEY": "test",
           "ROADSHOW_SMTP_HOST": "127.0.0.1", "ROADSHOW_SMTP_PORT": str(smtp_server.port),
           "ROADSHOW_REDIS_URL": ""}
    worker = subprocess.Popen(
        [sys.executable, "-c", "from roadshow.cli import main; main()", "jobs", "worker",
         "--workers", "1", "--parent", str(os.getpid())], env=env)
    try:
        job = _wait_for_job(job_id, worker)
        assert (job.status, job.done, job.total) == (JobStatus.DONE, total, total)
        sent = Counter(a for _sender, recipients in mailbox.envelopes for a in recipients)
        assert all(sent[f.applicant.email] == 1 for f in finalists)
    finally:
        worker.send_signal(signal.SIGINT)
        assert worker.wait(30) == 0
