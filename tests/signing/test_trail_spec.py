"""The exported audit trail as a format (issue 18): what the document holds, that it reads
back to the very entries it was made from, and what it refuses (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from roadshow.signing.chain import (
    GENESIS,
    TRAIL_FORMAT,
    ChainEntry,
    entry_hash,
    export_trail,
    import_trail,
)

AT = datetime(2026, 6, 11, 2, 0, 0, 123456, tzinfo=UTC)


def _entry(seq: int, prev: str) -> ChainEntry:
    return ChainEntry(seq=seq, action="signed", at=AT, actor_id=7, actor_label="Li Wei",
                      ip="203.0.113.7", user_agent="pytest", details={"signer": 1}, prev_hash=prev)


def _trail() -> list[tuple[ChainEntry, str]]:
    first = _entry(1, GENESIS)
    first_hash = entry_hash("intent-abc", first)
    second = _entry(2, first_hash)
    return [(first, first_hash), (second, entry_hash("intent-abc", second))]


def test_an_exported_trail_names_its_format_scope_count_and_head():
    entries = _trail()
    document = export_trail("intent-abc", entries, head_signature="c2ln")
    assert set(document) == {"format", "hash", "scope", "count", "head", "head_signature",
                             "entries"}
    assert document["format"] == TRAIL_FORMAT
    assert (document["scope"], document["count"]) == ("intent-abc", 2)
    assert document["head"] == entries[-1][1]
    assert document["head_signature"] == "c2ln"
    assert document["hash"] == (
        "SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8, NFC) of "
        "{scope, every entry field but 'hash'}; 'prev' is the previous entry's hash")
    assert document["entries"][0]["at"] == "2026-06-11T02:00:00.123456Z"
    assert document["entries"][1]["prev"] == entries[0][1]


def test_an_empty_trail_has_the_genesis_head_and_no_signature():
    document = export_trail("intent-abc", [])
    assert (document["count"], document["head"], document["head_signature"]) == (0, GENESIS, "")
    assert document["entries"] == []


def test_an_exported_trail_reads_back_to_the_same_entries_with_aware_times():
    entries = _trail()
    scope, read = import_trail(export_trail("intent-abc", entries))
    assert scope == "intent-abc"
    assert read == entries
    assert read[0][0].at == AT
    assert read[0][0].at.tzinfo is not None


def test_a_document_of_another_kind_is_refused_as_no_trail():
    with pytest.raises(ValueError, match="^not a Roadshow audit trail$"):
        import_trail({"format": "something-else", "entries": []})


def test_a_trail_missing_an_entry_field_is_refused_as_malformed():
    document = export_trail("intent-abc", _trail())
    del document["entries"][0]["actor"]
    with pytest.raises(ValueError, match="^the audit trail is malformed"):
        import_trail(document)
