"""Rate limits and text hygiene for live chat and questions (pure).

A token bucket per connection: ``capacity`` messages at once, refilled at ``rate`` per second.
Text is kept as plain text (clients insert it with ``textContent``); control characters are
dropped and length is bounded here, before anything is stored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

CHAT_MAX_CHARS = 500
QUESTION_MAX_CHARS = 300
NOTE_MAX_CHARS = 500


@dataclass
class TokenBucket:
    capacity: float = 5.0
    rate: float = 0.5  # tokens per second: a sustained message every two seconds
    tokens: float = -1.0
    updated: float = 0.0

    def allow(self, now: float) -> bool:
        """Take a token if there is one; ``now`` is a monotonic clock in seconds."""
        if self.tokens < 0:
            self.tokens, self.updated = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class TextError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def clean_text(value: object, max_chars: int) -> str:
    """Plain text without control characters, trimmed; refuses empty or too long text."""
    if not isinstance(value, str):
        raise TextError("empty")
    kept = "".join(
        ch for ch in value
        if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    ).strip()
    if not kept:
        raise TextError("empty")
    if len(kept) > max_chars:
        raise TextError("too_long")
    return kept
