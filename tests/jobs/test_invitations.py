"""Sending the calendar invitations as a job: the organizer's press returns before any mail
leaves, the page follows the queue, and a sending stopped half-way by a restart resumes without
sending anything twice."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from roadshow.extensions import db
from roadshow.jobs import queue
from roadshow.jobs.models import Job, JobStatus
from roadshow.scheduling.models import CalendarInvite, SendJob
from tests.many_events_fixtures import event_url


def _addresses(mailbox) -> Counter[str]:
    return Counter(address for _sender, recipients in mailbox.envelopes for address in recipients)


def test_pressing_send_returns_at_once_and_the_queue_sends_while_the_page_follows(published, event, run, mailbox):
    client, finalists, total = published
    response = client.post(event_url(event, "/schedule/manage/send"))
    assert response.status_code == 302
    job = db.session.scalar(db.select(Job))
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert (job.status, job.done, job.total) == (JobStatus.QUEUED, 0, total)
    assert mailbox.envelopes == []  # nothing was sent inside the request
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "发送日历邀请" in page  # the organizer reads Chinese
    assert f'max="{total}" value="0"' in page
    again = client.post(event_url(event, "/schedule/manage/send"))  # a second press shows the same sending
    assert again.headers["Location"] == f"/jobs/{job.id}"
    assert run() == 1
    state = client.get(f"/jobs/{job.id}.json").get_json()
    assert (state["status"], state["done"], state["total"]) == ("done", total, total)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"已发送：邀请或更新 {total} 封，取消 0 封。" in page
    sent = _addresses(mailbox)
    assert all(sent[f.applicant.email] == 1 for f in finalists)
    assert sum(sent.values()) == total
    manage = client.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    assert f'href="/jobs/{job.id}"' in manage


def test_a_sending_stopped_by_a_restart_resumes_without_sending_twice(published, event, run, mailbox,
                                                                      another_server):
    client, finalists, total = published
    client.post(event_url(event, "/schedule/manage/send"))
    job_id = db.session.scalar(db.select(Job.id))

    def server_stops_after_the_first_batch(_session: Session) -> None:
        """Once the first 25 messages have left and the bar shows them, the server stops."""
        with db.engine.connect() as connection:
            done = connection.scalar(db.text("SELECT done FROM jobs WHERE id = :id"), {"id": job_id})
        if done >= 25:
            sa_event.remove(Session, "after_commit", server_stops_after_the_first_batch)
            raise KeyboardInterrupt  # what the worker sees when the server shuts down

    sa_event.listen(Session, "after_commit", server_stops_after_the_first_batch)
    assert run(limit=1) == 1
    stopped = db.session.get(Job, job_id)
    assert (stopped.status, stopped.done, stopped.error_key) == (JobStatus.QUEUED, 25, "interrupted")
    assert len(mailbox.envelopes) == 25
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)  # the organizer reads Chinese
    assert f"服务器重启时中断于第 25 项（共 {total} 项）" in page

    restarted = another_server()  # the next server finds the job in the SQLite queue
    assert queue.run_pending(queue.job_queue(restarted)) == 1
    db.session.expire_all()
    done = db.session.get(Job, job_id)
    assert (done.status, done.done, done.total, done.attempts) == (JobStatus.DONE, total, total, 2)
    sent = _addresses(mailbox)
    assert all(sent[f.applicant.email] == 1 for f in finalists)
    assert sum(sent.values()) == total  # nobody got a second copy
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarInvite)) == total
    assert db.session.scalar(db.select(SendJob.requests)) == total
