"""The job queue on real Huey: progress a reload shows, retries with backoff on the test's
clock, failures in the reader's language, jobs that outlive their worker or their server."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from huey import signals

from roadshow.extensions import db
from roadshow.jobs import queue, services
from roadshow.jobs.kinds import JobFailure
from roadshow.jobs.messages import failure_message
from roadshow.jobs.models import Job, JobStatus
from tests.jobs.conftest import STEPS


def _job(job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_job_waits_in_the_queue_until_a_worker_takes_it(start_job, run, jobs):
    job = start_job(steps=3)
    assert jobs.huey.pending_count() == 1
    assert _job(job.id).status == JobStatus.QUEUED
    assert run() == 1
    done = _job(job.id)
    assert (done.status, done.done, done.total, done.attempts) == (JobStatus.DONE, 3, 3, 1)
    assert done.summary == {"steps": 3, "attempts": 1}
    assert done.finished_at is not None


def test_a_job_runs_in_a_real_consumer_thread(app, start_job, jobs):
    finished = threading.Event()

    @jobs.huey.signal(signals.SIGNAL_COMPLETE)
    def completed(_signal, task) -> None:
        if type(task).__name__ == queue.TASK_NAME:  # not the periodic sweep
            finished.set()

    consumer = queue.consumer(jobs, workers=1, embedded=True)
    consumer.start()
    try:
        job = start_job(steps=5)
        assert finished.wait(30), "the consumer did not run the job"
    finally:
        consumer.stop(graceful=True)
    done = _job(job.id)
    assert (done.status, done.done, done.total) == (JobStatus.DONE, 5, 5)


def test_progress_shows_on_the_page_and_in_its_json_after_every_reload(start_job, run, login_as):
    client, organizer = login_as("organizer")
    job = start_job(organizer, steps=4, interrupt_at=2)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Waiting for a worker to start it." in page
    assert '<meta http-equiv="refresh"' in page  # inside <noscript>: the page follows without JS
    assert "js/jobs.js" in page
    run(limit=1)  # the worker stops after two steps, as when the server shuts down
    state = client.get(f"/jobs/{job.id}.json").get_json()
    assert (state["status"], state["done"], state["total"], state["percent"]) == ("queued", 2, 4, 50)
    assert state["active"] is True
    assert "Interrupted by a server restart at 2 of 4" in state["status_line"]
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'max="4" value="2"' in page
    run()
    state = client.get(f"/jobs/{job.id}.json").get_json()
    assert (state["status"], state["done"], state["active"]) == ("done", 4, False)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Finished: 4 of 4 done." in page
    assert "http-equiv" not in page


def test_a_failed_attempt_is_retried_after_a_delay_that_grows_on_the_tests_clock(start_job, run, jobs,
                                                                                 login_as):
    client, organizer = login_as("organizer", locale="zh_Hans_CN")
    job = start_job(organizer, steps=2, fail_attempts=2)
    run()
    first = _job(job.id)
    assert (first.status, first.attempts, first.error_key) == (JobStatus.RETRYING, 1, "mail_server")
    assert first.next_attempt_at - first.heartbeat_at == timedelta(seconds=10)
    [retry] = jobs.huey.scheduled()
    due = retry.eta  # Huey's (naive UTC) time for the retry, the one the page names
    assert abs((first.next_attempt_at.replace(tzinfo=None) - due).total_seconds()) < 2
    assert run(now=due - timedelta(seconds=1)) == 0  # not before its time
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "邮件服务器暂时无法连接" in page  # the reason, in the reader's language
    assert "第 1 次尝试" in page
    assert run(now=due) == 1  # second attempt fails too; the next wait is three times longer
    [second_retry] = jobs.huey.scheduled()
    second = _job(job.id)
    assert second.attempts == 2
    assert second.next_attempt_at - second.heartbeat_at == timedelta(seconds=30)
    assert abs((second.next_attempt_at.replace(tzinfo=None) - second_retry.eta).total_seconds()) < 2
    assert run(now=second_retry.eta) == 1
    done = _job(job.id)
    assert (done.status, done.attempts, done.error_key, done.done) == (JobStatus.DONE, 3, "", 2)


def test_a_job_failing_every_attempt_ends_failed_saying_why_in_english_and_chinese(start_job, run, jobs,
                                                                                  login_as):
    client, organizer = login_as("organizer")
    job = start_job(organizer, steps=2, fail_attempts=9)
    run()
    for _ in range(2):
        [retry] = jobs.huey.scheduled()
        run(now=retry.eta)
    failed = _job(job.id)
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 3)
    assert jobs.huey.scheduled() == []
    assert "SMTP 421" in failed.error_detail
    english = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "The mail server could not be reached." in english
    assert "Stopped after 3 attempts" in english
    state = client.get(f"/jobs/{job.id}.json").get_json()
    assert state["error"].startswith("The mail server could not be reached.")
    client.post("/language", data={"locale": "zh_Hans_CN", "next": "/"})
    chinese = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "邮件服务器暂时无法连接" in chinese


def test_a_failure_that_another_attempt_cannot_fix_is_not_retried(start_job, run, jobs):
    job = start_job(steps=1, fail_attempts=1, final=True)
    run()
    assert _job(job.id).status == JobStatus.FAILED
    assert jobs.huey.scheduled() == []


def test_a_job_queued_before_a_restart_runs_after_it(another_server, start_job):
    job = start_job(steps=3)
    restarted = another_server()  # a new server: a new Huey on the same SQLite queue
    assert queue.run_pending(queue.job_queue(restarted)) == 1
    assert _job(job.id).status == JobStatus.DONE


def test_a_job_whose_worker_died_resumes_where_it_stopped(start_job, run, jobs):
    job = start_job(steps=6)
    run(limit=0)
    jobs.huey.flush()  # the task left the queue with its worker (kill -9), the row says running
    row = _job(job.id)
    row.status, row.done, row.attempts = JobStatus.RUNNING, 4, 1
    row.heartbeat_at = services.utcnow() - services.STALL_AFTER - timedelta(seconds=1)
    db.session.commit()
    assert jobs.recover() == 1
    assert run() == 1
    done = _job(job.id)
    assert (done.status, done.done, done.attempts) == (JobStatus.DONE, 6, 2)


def test_a_running_job_with_a_fresh_heartbeat_is_left_to_its_worker(start_job, run, jobs):
    job = start_job(steps=2)
    jobs.huey.flush()
    row = _job(job.id)
    row.status, row.heartbeat_at = JobStatus.RUNNING, services.utcnow()
    db.session.commit()
    assert jobs.recover() == 0
    jobs.enqueue(row)  # a duplicate hand-over: the worker holding it keeps it
    assert run() == 1
    assert _job(job.id).status == JobStatus.RUNNING


def test_a_job_handed_to_the_queue_twice_runs_once(start_job, run, jobs):
    job = start_job(steps=2)
    jobs.enqueue(_job(job.id))
    assert run() == 2
    assert _job(job.id).attempts == 1


def test_the_same_send_pressed_twice_gives_the_running_job(app, make_user):
    organizer = make_user("organizer")
    first, created = services.start(db.session, organizer, STEPS, params={"steps": 1})
    again, created_again = services.start(db.session, organizer, STEPS, params={"steps": 1})
    assert (created, created_again, again.id) == (True, False, first.id)


def test_someone_elses_job_is_not_found_but_the_organizers_of_its_event_see_it(
        start_job, login_as, make_user, make_event, make_organisation):
    event = make_event()  # of the default test office
    job = start_job(make_user("judge"), steps=1, event=event)
    judge, _user = login_as("judge")
    assert judge.get(f"/jobs/{job.id}").status_code == 404
    assert judge.get(f"/jobs/{job.id}.json").status_code == 404
    organizer, _user = login_as("organizer")  # organizes the default test office
    assert organizer.get(f"/jobs/{job.id}").status_code == 200
    assert "Counting steps" in organizer.get("/jobs/").get_data(as_text=True)
    other_office = make_user("applicant", name="Other Office")
    make_organisation(organizers=(other_office,))
    elsewhere, _user = login_as(other_office)
    assert elsewhere.get(f"/jobs/{job.id}").status_code == 404
    assert "Counting steps" not in elsewhere.get("/jobs/").get_data(as_text=True)
    admin, _user = login_as("applicant", is_platform_admin=True)
    assert admin.get(f"/jobs/{job.id}").status_code == 200
    assert "Counting steps" in admin.get("/jobs/").get_data(as_text=True)


def test_a_job_without_an_event_is_its_starters_and_the_administrators(start_job, login_as,
                                                                        make_user):
    job = start_job(make_user("organizer"), steps=1)
    organizer, _user = login_as("organizer")
    assert organizer.get(f"/jobs/{job.id}").status_code == 404
    admin, _user = login_as("applicant", is_platform_admin=True)
    assert admin.get(f"/jobs/{job.id}").status_code == 200


def test_no_job_starts_on_an_archived_event(make_event, make_user):
    event = make_event(archived=True)
    with pytest.raises(JobFailure) as refused:
        services.start(db.session, make_user("organizer"), STEPS, event_id=event.id,
                       params={"steps": 1})
    assert (refused.value.key, refused.value.retry) == ("archived", False)
    assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 0
    assert failure_message("archived") == "This event is archived and can no longer be changed."
    running = make_event()
    job, created = services.start(db.session, make_user("organizer"), STEPS,
                                  event_id=running.id, params={"steps": 1})
    assert created
    assert job.event_id == running.id


@pytest.mark.redis
def test_the_redis_backend_runs_jobs_and_retries(another_server, redis_url, make_user):
    app = another_server(JOBS_REDIS_URL=redis_url)
    jobs = queue.job_queue(app)
    jobs.huey.flush()
    try:
        assert not jobs.embedded
        with app.app_context():
            organizer = make_user("organizer")
            job, _created = services.start(db.session, organizer, STEPS,
                                           params={"steps": 2, "fail_attempts": 1})
            db.session.commit()
            jobs.enqueue(job)
            assert jobs.huey.pending_count() == 1
            queue.run_pending(jobs)
            [retry] = jobs.huey.scheduled()
            queue.run_pending(jobs, now=retry.eta)
            db.session.expire_all()
            done = db.session.get(Job, job.id)
            assert (done.status, done.done, done.attempts) == (JobStatus.DONE, 2, 2)
    finally:
        jobs.huey.flush()


def test_a_job_lost_before_the_queue_had_it_is_handed_over_again_once(start_job, run, jobs):
    job = start_job(steps=2)
    jobs.huey.flush()  # committed, but the server died before the queue had it
    row = _job(job.id)
    row.created_at = services.utcnow() - services.STALL_AFTER - timedelta(seconds=1)
    db.session.commit()
    assert jobs.recover() == 1
    assert jobs.recover() == 0  # just handed over: not again at the next sweep
    assert _job(job.id).error_key == ""  # it never ran, so nothing was interrupted
    assert run() == 1
    assert _job(job.id).status == JobStatus.DONE
