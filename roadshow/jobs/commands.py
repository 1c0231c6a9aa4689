"""``roadshow jobs worker``: run the job queue's consumer in its own process (production, with
``ROADSHOW_REDIS_URL``; serve then with ``roadshow serve --no-worker``). ``roadshow jobs
recover`` hands jobs that lost their worker back to the queue."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from roadshow.jobs import queue


@click.group("jobs")
def jobs() -> None:
    """Background jobs (Huey: SQLite in instance/ by default, Redis when ROADSHOW_REDIS_URL is set)."""


@jobs.command("worker")
@click.option("--workers", default=2, show_default=True, type=int, help="Worker threads.")
@click.option("--parent", type=int, default=None, hidden=True,
              help="Stop when this process (the server that started the worker) is gone.")
@with_appcontext
def worker(workers: int, parent: int | None) -> None:
    """Run jobs until stopped (Ctrl-C finishes the running jobs first; SIGTERM stops at once,
    and jobs cut short resume at the next start)."""
    # started in the background by a shell, we inherit an ignored SIGINT: take it back
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if parent is not None:
        threading.Thread(target=_stop_when_orphaned, args=(parent,), daemon=True,
                         name="parent-watch").start()
    logging.getLogger("huey").setLevel(logging.WARNING)  # a line per task and minute otherwise
    job_queue = queue.job_queue(current_app)
    # with SQLite this is the only consumer, so any running job lost its worker; with Redis
    # other workers may hold them, and the stalled-job sweep finds the ones that lost theirs
    found = job_queue.recover(everything=job_queue.embedded)
    click.echo(f"Roadshow jobs worker: {workers} thread(s), "
               f"{'SQLite' if job_queue.embedded else 'Redis'} queue; {found} job(s) resumed")
    queue.consumer(job_queue, workers=workers).run()


def _stop_when_orphaned(parent: int, every: float = 2.0) -> None:
    """The server that started this worker died without stopping it: stop as on Ctrl-C (again
    until it happens: the consumer may still be starting and not yet handle the signal)."""
    while os.getppid() == parent:
        time.sleep(every)
    while True:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(15 * every)  # a second Ctrl-C would cut the running jobs short


@jobs.command("recover")
@with_appcontext
def recover() -> None:
    """Hand jobs without a worker for a while back to the queue."""
    click.echo(f"{queue.job_queue(current_app).recover()} job(s) handed back to the queue")


commands = [jobs]
