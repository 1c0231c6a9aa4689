"""What ``/healthz`` reports: whether the database and (when configured) Redis answer.

Each check is one round trip with a short timeout, so load balancers and monitors may call it
every few seconds; a dependency that is down is reported as such, never as an exception.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import redis
from sqlalchemy import text
from sqlalchemy.orm import Session

#: seconds a check may take before its dependency counts as down
TIMEOUT = 1.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    configured: bool = True
    ms: float | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        status = "ok" if self.ok else "down"
        answer: dict[str, Any] = {"status": status if self.configured else "not configured"}
        if self.ms is not None:
            answer["ms"] = round(self.ms, 1)
        if self.error:
            answer["error"] = self.error
        return answer


def check_database(session: Session) -> Check:
    started = time.perf_counter()
    try:
        session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means the database does not answer
        session.rollback()
        return Check("database", False, error=type(error).__name__)
    return Check("database", True, ms=(time.perf_counter() - started) * 1000)


@lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    """One pooled client per URL: a check reuses its connection instead of opening one."""
    return redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)


def check_redis(url: str | None) -> Check:
    if not url:
        return Check("redis", True, configured=False)
    started = time.perf_counter()
    try:
        _redis_client(url).ping()
    except (redis.RedisError, OSError) as error:
        return Check("redis", False, error=type(error).__name__)
    return Check("redis", True, ms=(time.perf_counter() - started) * 1000)


def report(session: Session, redis_url: str | None) -> tuple[dict[str, Any], bool]:
    """The JSON body and whether every configured dependency answered."""
    checks = [check_database(session), check_redis(redis_url)]
    healthy = all(check.ok for check in checks)
    return {"status": "ok" if healthy else "unavailable",
            "checks": {check.name: check.as_dict() for check in checks}}, healthy
