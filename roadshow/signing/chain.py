"""The audit trail's hash chain (pure).

Every entry's hash covers its own fields and the previous entry's hash, so changing any entry
changes every hash after it, and removing one leaves a gap in the sequence and a broken link.
The intent keeps the head (the last hash and the count), so removing the last entries is seen
too. :func:`verify_chain` reports every problem it finds, not only the first.

The hash covers every field of :class:`ChainEntry` by construction (the payload is built from
the dataclass's fields, not a list kept by hand), and the services build a ``ChainEntry`` from
every column of the audit table but the few named in ``NOT_HASHED``: a new column that is
neither hashed nor explicitly excused fails to construct.

What the database alone cannot protect is anchored outside it: the head is signed with the
platform's seal key (:func:`head_message` is what is signed), and the sealed PDF carries the
whole trail as an attached file (:func:`export_trail`), which :func:`import_trail` reads back
so the chain can be re-checked from the PDF alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from roadshow.signing.canonical import canonical_bytes

GENESIS = "0" * 64
TRAIL_FORMAT = "roadshow-audit-trail-v1"
HEAD_FORMAT = "roadshow-audit-head-v1"
#: the name a field has in the hashed payload, when it is not the field's own name
_KEY = "hash_key"
#: audit-table columns an entry's hash does not cover, and why
NOT_HASHED = {
    "id": "a surrogate key: an entry is identified by its chain (the scope) and its seq",
    "intent_id": "covered by the scope, the intent's public id, which every hash includes",
    "entry_hash": "the hash itself",
}


@dataclass(frozen=True)
class ChainEntry:
    """What an entry's hash covers: every field."""

    seq: int
    action: str
    at: datetime
    actor_id: int | None
    actor_label: str = field(metadata={_KEY: "actor"})
    ip: str
    user_agent: str
    details: Mapping[str, Any]
    prev_hash: str = field(metadata={_KEY: "prev"})


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit times must be aware UTC datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc_text(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def entry_payload(entry: ChainEntry) -> dict[str, Any]:
    """Every field of the entry, as the hash sees it (times as UTC text)."""
    return {f.metadata.get(_KEY, f.name): _plain(getattr(entry, f.name)) for f in fields(entry)}


def entry_hash(scope: str, entry: ChainEntry) -> str:
    """SHA-256 of the canonical form of the entry, bound to its chain's ``scope``."""
    payload = {"scope": scope, **entry_payload(entry)}
    return hashlib.sha256(canonical_bytes(payload)).hexdigest()


def head_message(scope: str, count: int, head: str) -> bytes:
    """The bytes the platform signs to anchor a chain's head outside the database."""
    return canonical_bytes({"format": HEAD_FORMAT, "scope": scope, "count": count, "head": head})


def export_trail(scope: str, entries: Sequence[tuple[ChainEntry, str]],
                 head_signature: str = "") -> dict[str, Any]:
    """The whole trail as a document that can be checked without the database."""
    return {
        "format": TRAIL_FORMAT,
        "hash": "SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8, NFC) of "
                "{scope, every entry field but 'hash'}; 'prev' is the previous entry's hash",
        "scope": scope,
        "count": len(entries),
        "head": entries[-1][1] if entries else GENESIS,
        "head_signature": head_signature,
        "entries": [{**entry_payload(entry), "hash": digest} for entry, digest in entries],
    }


def _from_payload(item: Mapping[str, Any]) -> ChainEntry:
    values = {}
    for f in fields(ChainEntry):
        value = item[f.metadata.get(_KEY, f.name)]
        if f.name == "at":
            value = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        values[f.name] = value
    return ChainEntry(**values)


def import_trail(document: Mapping[str, Any]) -> tuple[str, list[tuple[ChainEntry, str]]]:
    """``(scope, [(entry, stored hash)])`` from :func:`export_trail`'s document.

    Raises ``ValueError`` for a document that is not such a trail."""
    if document.get("format") != TRAIL_FORMAT:
        raise ValueError("not a Roadshow audit trail")
    try:
        entries = [(_from_payload(item), str(item["hash"])) for item in document["entries"]]
        return str(document["scope"]), entries
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the audit trail is malformed: {error!r}") from error


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

