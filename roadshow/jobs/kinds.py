"""The kinds of background job and how each one runs: pure, no Flask, no SQLAlchemy.

A domain declares its kinds in ``roadshow/<domain>/jobs.py`` with :func:`register` and lists that
module in ``roadshow.JOB_MODULES`` (the jobs queue is part of the base and never imports the
domains that use it; the application factory loads them). The queue then runs
``handler(job, progress)`` in a worker with an application context; the handler reports steps
through ``progress(done, total)`` and returns the summary the status page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


class JobFailure(Exception):  # noqa: N818 - it is what the job reports, not a programming error
    """A failure the person who started the job must read: ``key`` names a translated message
    (roadshow.jobs.messages). ``retry`` says whether another attempt can succeed."""

    def __init__(self, key: str, detail: str = "", *, retry: bool = True) -> None:
        super().__init__(detail or key)
        self.key = key
        self.detail = detail
        self.retry = retry


Progress = Callable[[int, int], None]
Handler = Callable[[Any, Progress], Mapping[str, Any]]


@dataclass(frozen=True)
class Kind:
    name: str                       # "<domain>.<what>", stored in Job.kind
    handler: Handler = field(compare=False)
    title: Any = ""                 # a lazy translated string: "Sending calendar invitations"
    summary_template: str = ""      # a partial given ``job``, rendered under the bar
    back_endpoint: str = ""         # where "Back" leads when the job is done
    retries: int = 3                # attempts after the first
    retry_delay: float = 10.0       # seconds before the first retry ...
    retry_backoff: float = 3.0      # ... multiplied by this after each one (10 s, 30 s, 90 s)


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    return _kinds.get(name)


@dataclass(frozen=True)
class Periodic:
    """A domain's periodic work (a daily reminder run), declared like a kind in its
    ``jobs.py``: the queue's consumer runs ``run()`` in an application context at the
    ``minute`` and ``hour`` given as crontab fields, in UTC."""

    name: str
    run: Callable[[], Any] = field(compare=False)
    minute: str = "0"
    hour: str = "*"


_periodic: dict[str, Periodic] = {}


def register_periodic(periodic: Periodic) -> Periodic:
    _periodic[periodic.name] = periodic
    return periodic


def periodic_work() -> list[Periodic]:
    return sorted(_periodic.values(), key=lambda p: p.name)


def backoff_delays(kind: Kind) -> list[float]:
    """The waits before each retry, in seconds: what Huey's retry_delay and retry_backoff give."""
    return [kind.retry_delay * kind.retry_backoff ** i for i in range(kind.retries)]
