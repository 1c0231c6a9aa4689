"""The audit trail's hash chain (pure).

Every entry's hash covers its own fields and the previous entry's hash, so changing any entry
changes every hash after it, and removing one leaves a gap in the sequence and a broken link.
The intent keeps the head (the last hash and the count), so removing the last entries is seen
too. :func:`verify_chain` reports every problem it finds, not only the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from roadshow.signing.canonical import canonical_bytes

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    """What an entry's hash covers."""

    seq: int
    action: str
    at: datetime
    actor_id: int | None
    actor_label: str
    ip: str
    user_agent: str
    details: Mapping[str, Any]
    prev_hash: str


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit times must be aware UTC datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(scope: str, entry: ChainEntry) -> str:
    """SHA-256 of the canonical form of the entry, bound to its chain's ``scope``."""
    payload = {
        "scope": scope,
        "seq": entry.seq,
        "action": entry.action,
        "at": _utc_text(entry.at),
        "actor_id": entry.actor_id,
        "actor": entry.actor_label,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "details": dict(entry.details),
        "prev": entry.prev_hash,
    }
    return hashlib.sha256(canonical_bytes(payload)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # "gap", "link", "hash", "head", "count"
    detail: str

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}: {self.detail}"


def verify_chain(
    scope: str,
    entries: Iterable[tuple[ChainEntry, str]],
    head_hash: str | None = None,
    head_count: int | None = None,
) -> list[ChainProblem]:
    """Check ``(entry, stored_hash)`` pairs in sequence order against each other and the head."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    last_hash = GENESIS
    count = 0
    for entry, stored in entries:
        count += 1
        if entry.seq != expected_seq:
            problems.append(ChainProblem(entry.seq, "gap",
                                         f"expected entry #{expected_seq}, found #{entry.seq}"))
        if entry.prev_hash != expected_prev:
            problems.append(ChainProblem(entry.seq, "link",
                                         "does not point at the previous entry's hash"))
        recomputed = entry_hash(scope, entry)
        if recomputed != stored:
            problems.append(ChainProblem(entry.seq, "hash",
                                         "its content no longer matches its hash"))
        expected_prev = stored
        expected_seq = entry.seq + 1
        last_hash = stored
    if head_count is not None and count != head_count:
        problems.append(ChainProblem(expected_seq, "count",
                                     f"the trail holds {count} entries, the head records {head_count}"))
    if head_hash is not None and last_hash != head_hash:
        problems.append(ChainProblem(expected_seq - 1, "head",
                                     "the last entry is not the one the head records"))
    return problems

