"""A background job that failed for good tells the person who started it and the platform's
administrators, once, in their language, with a link to the job's page (issue 17)."""

from __future__ import annotations

from sqlalchemy import select

from roadshow.jobs import services
from roadshow.jobs.models import Job, JobStatus
from roadshow.mail.models import OutboxMessage
from roadshow.notifications.models import Notification
from tests.conftest import Auth


def test_a_job_that_failed_for_good_tells_its_starter_and_the_administrators_once(app, db, make_user):
    starter = make_user("organizer", locale="zh_Hans_CN")
    admin = make_user("organizer", is_platform_admin=True)
    bystander = make_user("organizer")
    job = Job(kind="talent.invite", actor_id=starter.id, status=JobStatus.RUNNING, total=120,
              done=37, attempts=1)
    db.session.add(job)
    db.session.commit()

    services.fail(db.session, job.id, "mail_server", "SMTP refused", retry_in=10.0)
    assert db.session.scalars(select(Notification).where(Notification.kind == "job_failed")).all() == []

    services.fail(db.session, job.id, "mail_server", "SMTP refused")
    services.fail(db.session, job.id, "mail_server", "SMTP refused")
    told = db.session.scalars(select(Notification).where(Notification.kind == "job_failed")).all()
    assert sorted(n.user_id for n in told) == sorted([starter.id, admin.id])
    assert bystander.id not in {n.user_id for n in told}
    assert {n.url for n in told} == {f"/jobs/{job.id}"}
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == starter.email))
    assert "邮件服务器" in mail.body_text  # the reason, in the starter's language
    client = app.test_client()
    Auth(client).login(admin)
    centre = client.get("/notifications").get_data(as_text=True)
    assert "The mail server could not be reached" in centre
