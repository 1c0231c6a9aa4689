"""Live rate limits per user and room, shared by every server process.

A limit counts one user's actions in one room, whatever connection they come through (a user
opening twenty tabs gets no more than one), in a moving window kept by the ``limits`` library:
in Redis when the deployment has one, so that every process counts the same actions, else in
this process (the embedded setup has only one). If Redis stops answering, the limits keep
counting in this process (and say so in the log) and go back to Redis when it answers again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("roadshow.live")

#: action -> limit, as the ``limits`` library writes them; override with ``LIVE_RATE_LIMITS``
DEFAULT_LIMITS: dict[str, str] = {
    "chat": "6 per 10 seconds",  # a message every 2 s holds up for as long as one likes
    "ask": "3 per 30 seconds",
    "vote": "20 per 10 seconds",
    "dock": "6 per minute",
}
#: how long after a Redis failure the limits stay in this process before trying Redis again
RETRY_SHARED_AFTER = 5.0


class LiveLimits:
    def __init__(self, storage_uri: str | None, limits: Mapping[str, str] | None = None,
                 namespace: str = "roadshow") -> None:
        self.namespace = namespace
        self.items: dict[str, RateLimitItem] = {
            what: parse(text) for what, text in {**DEFAULT_LIMITS, **(limits or {})}.items()}
        self.local = MovingWindowRateLimiter(MemoryStorage())
        self.shared: MovingWindowRateLimiter | None = None
        if storage_uri and not storage_uri.startswith("memory://"):
            storage: Storage = storage_from_string(
                storage_uri, wrap_exceptions=True, socket_connect_timeout=1.0, socket_timeout=1.0)
            self.shared = MovingWindowRateLimiter(storage)
        self.shared_down_until = 0.0

    def allow(self, what: str, room_id: int, user_id: int) -> bool:
        """Count one ``what`` by ``user_id`` in ``room_id``; false when over the limit."""
        item = self.items.get(what)
        if item is None:
            return True
        keys = (self.namespace, "live", what, str(room_id), str(user_id))
        if self.shared is not None and time.monotonic() >= self.shared_down_until:
            try:
                return self.shared.hit(item, *keys)
            except StorageError as error:
                self.shared_down_until = time.monotonic() + RETRY_SHARED_AFTER
                log.warning("live rate limits fall back to this process: %s", error)
        return self.local.hit(item, *keys)
