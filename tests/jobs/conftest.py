"""Jobs run on a real Huey queue here (SQLite in the test's instance folder, not immediate
mode), driven by the test: ``run(now=...)`` does a consumer's work in the test's thread at the
test's clock. A job kind of the tests' own counts steps, fails and stops when told to."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from flask import Flask

from roadshow import create_app
from roadshow.extensions import db as _db
from roadshow.jobs import kinds, queue, services
from roadshow.jobs.kinds import JobFailure, Progress
from roadshow.jobs.models import Job
from roadshow.scheduling import sending
from tests.many_events_fixtures import event_url
from tests.scheduling.conftest import (  # noqa: F401 - fixtures used here
    DAY1,
    event,
    make_finalist,
    make_session,
    organizer,
)

STEPS = "tests.steps"


def count_steps(job: Job, progress: Progress) -> Mapping[str, Any]:
    """``steps`` steps from where the job stopped; the first ``fail_attempts`` attempts fail
    (finally when ``final``); the first attempt is interrupted after ``interrupt_at`` steps."""
    params = job.params
    if job.attempts <= params.get("fail_attempts", 0):
        raise JobFailure("mail_server", "SMTP 421 try later", retry=not params.get("final"))
    total = params["steps"]
    for step in range(job.done + 1, total + 1):
        progress(step, total)
        if step == params.get("interrupt_at") and job.attempts == 1:
            raise KeyboardInterrupt  # what a worker sees when its server shuts down mid-job
    return {"steps": total, "attempts": job.attempts}


kinds.register(kinds.Kind(name=STEPS, handler=count_steps, title="Counting steps",
                          retries=2, retry_delay=10, retry_backoff=3))


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "JOBS_IMMEDIATE": False}


@pytest.fixture
def another_server(app: Flask, app_config: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """Another app on the same database and instance folder: the server after a restart, or one
    with other settings. Its connections close with the test."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        made.append(create_app({**app_config, **overrides}))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def jobs(app: Flask) -> queue.JobQueue:
    return queue.job_queue(app)


@pytest.fixture
def start_job(jobs: queue.JobQueue, make_user: Callable[..., Any]) -> Callable[..., Job]:
    def start(actor: Any = None, kind: str = STEPS, event: Any = None,  # noqa: F811
              **params: Any) -> Job:
        actor = actor or make_user("organizer")
        job, _created = services.start(_db.session, actor, kind, total=params.get("steps", 0),
                                       params=params, event_id=event.id if event else None)
        _db.session.commit()
        jobs.enqueue(job)
        return job

    return start


@pytest.fixture
def run(jobs: queue.JobQueue) -> Callable[..., int]:
    def run_now(now: Any = None, limit: int | None = None) -> int:
        ran = queue.run_pending(jobs, now, limit)
        _db.session.expire_all()
        return ran

    return run_now


FINALISTS = 28  # more than one batch of 25 invitations: the sending commits (and can stop) in between


@pytest.fixture
def published(event, organizer, make_finalist, make_session,  # noqa: F811 - the scheduling fixtures
              login_as) -> tuple[Any, list[Any], int]:
    """A published programme with FINALISTS finalists placed, signed in as its organizer."""
    make_session(DAY1, "08:00", "18:00")
    finalists = [make_finalist(zone) for zone in ["Asia/Tokyo", "Asia/Singapore"] * (FINALISTS // 2)]
    client, _user = login_as(organizer)
    client.post(event_url(event, "/schedule/manage/propose"))
    client.post(event_url(event, "/schedule/manage/publish"))
    _db.session.expire_all()
    total = len(sending.plan_invites(_db.session, event))
    assert total >= FINALISTS
    return client, finalists, total
