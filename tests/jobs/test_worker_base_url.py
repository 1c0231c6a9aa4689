"""The worker ``roadshow serve`` starts beside itself links its emails to the address the server
serves: served on 127.0.0.1:5102 (bin/demo --port 5102), the calendar invitations the worker
sent linked to the default base URL's port 5000, where nothing answers."""

from __future__ import annotations

import pytest

from roadshow.commands import adopt_served_origin, start_job_worker, stop_job_worker
from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from tests.jobs.test_worker import _wait_for_job
from tests.many_events_fixtures import event_url

pytestmark = pytest.mark.slow


def test_the_served_workers_invitations_link_to_the_served_port(published, event, app, database_url,
                                                                smtp_server, mailbox,
                                                                monkeypatch):
    client, finalists, total = published
    for name, value in {"ROADSHOW_DATABASE_URL": database_url,
                        "ROADSHOW_INSTANCE_PATH": app.instance_path,
                        "ROADSHOW_SECRET_KEY": "test", "ROADSHOW_SMTP_HOST": "127.0.0.1",
                        "ROADSHOW_SMTP_PORT": str(smtp_server.port),
                        "ROADSHOW_REDIS_URL": ""}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ROADSHOW_BASE_URL", raising=False)
    adopt_served_origin(app, "127.0.0.1", 5102)  # what `roadshow serve --port 5102` does first
    client.post(event_url(event, "/schedule/manage/send"))
    job_id = db.session.scalar(db.select(Job.id))
    worker = start_job_worker(app)
    try:
        job = _wait_for_job(job_id, worker)
        assert (job.status, job.done) == (JobStatus.DONE, total)
        [message, *_] = mailbox.to(finalists[0].applicant.email)
        text = message.get_body(("plain",)).get_content()
        assert "http://127.0.0.1:5102/e/" in text
        assert ":5000/" not in text
    finally:
        stop_job_worker(worker)
