"""One-time confirmation codes for signing: the checks alone (pure: neither Flask nor SQLAlchemy).

A signer asks for a code, receives it by email and types it when signing. The service
(signing/signatures.py) keeps the rows, the keyed hashes and the audit trail; this module decides:
what a typed code means, whether another code may be sent yet, which code is live, and whether
it may still be tried. Each refusal has a stable ``reason`` the service turns into a message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_AFTER = timedelta(seconds=20)


class CodeRow(Protocol):
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
    attempts: int


C = TypeVar("C", bound=CodeRow)


class CodeRefused(Exception):  # noqa: N818 - reads as the reason
    """The typed code cannot be tried; ``reason`` is one of none_sent, expired, too_many, empty."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise(typed: str | None) -> str:
    """The code a signer meant: digits only, whatever the script or width they were typed in
    ("１２３ ４５６", "123-456" and "١٢٣٤٥٦" all mean "123456"); spaces and dashes dropped."""
    text = unicodedata.normalize("NFKC", typed or "")
    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def generate(randbelow: Callable[[int], int]) -> str:
    """A fresh code of :data:`CODE_DIGITS` digits, leading zeros kept (``secrets.randbelow``)."""
    return f"{randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def too_soon_to_resend(latest: CodeRow | None, now: datetime) -> bool:
    """Whether the latest code, still unused, was sent less than :data:`CODE_RESEND_AFTER` ago."""
    return (latest is not None and latest.used_at is None
            and now - latest.created_at < CODE_RESEND_AFTER)


def is_live(row: CodeRow) -> bool:
    return row.used_at is None and row.revoked_at is None


def live_code(rows: Sequence[C]) -> C | None:
    """The newest code neither used nor revoked (older ones are revoked when a new one is sent)."""
    live = [row for row in rows if is_live(row)]
    return live[-1] if live else None


def check_usable(row: CodeRow | None, typed: str, now: datetime) -> None:
    """Raise :class:`CodeRefused` unless ``typed`` (normalised) may be compared with ``row``.

    None of these refusals counts as a wrong attempt: no code to try, an expired one, one whose
    attempts are used up, or nothing typed at all.
    """
    if row is None:
        raise CodeRefused("none_sent")
    if row.expires_at <= now:
        raise CodeRefused("expired")
    if row.attempts >= CODE_MAX_ATTEMPTS:
        raise CodeRefused("too_many")
    if not typed:
        raise CodeRefused("empty")


def attempts_left(attempts: int) -> int:
    """Wrong attempts the code still allows after ``attempts`` of them (never below zero)."""
    return max(0, CODE_MAX_ATTEMPTS - attempts)
