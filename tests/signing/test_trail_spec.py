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


# --- the hash, the head and what verification reports, exactly -----------------------------------------

def test_an_entrys_hash_is_sha256_of_its_canonical_payload_with_the_scope():
    import hashlib

    from roadshow.signing.canonical import canonical_bytes
    from roadshow.signing.chain import entry_payload

    entry = _entry(1, GENESIS)
    expected = hashlib.sha256(canonical_bytes({"scope": "intent-abc", **entry_payload(entry)}))
    assert entry_hash("intent-abc", entry) == expected.hexdigest()
    assert entry_hash("intent-abc", entry) != entry_hash("intent-xyz", entry)


def test_the_head_message_is_the_canonical_json_of_format_scope_count_and_head():
    from roadshow.signing.chain import head_message

    assert head_message("intent-abc", 2, "ab" * 32) == (
        b'{"count":2,"format":"roadshow-audit-head-v1","head":"' + b"ab" * 32
        + b'","scope":"intent-abc"}')


def test_an_audit_time_must_be_aware():
    from roadshow.signing.chain import entry_payload

    naive = ChainEntry(seq=1, action="signed", at=datetime(2026, 6, 11, 2, 0),  # noqa: DTZ001
                       actor_id=None, actor_label="", ip="", user_agent="", details={},
                       prev_hash=GENESIS)
    with pytest.raises(ValueError, match="^audit times must be aware UTC datetimes$"):
        entry_payload(naive)


def test_an_audit_time_is_written_in_utc_on_a_server_set_to_another_zone(monkeypatch):
    import time

    from roadshow.signing.chain import entry_payload

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert entry_payload(_entry(1, GENESIS))["at"] == "2026-06-11T02:00:00.123456Z"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_verification_reports_each_problem_with_its_entry_and_words():
    from roadshow.signing.chain import ChainProblem, verify_chain

    (first, first_hash), (second, second_hash) = _trail()
    assert verify_chain("intent-abc", _trail(), head_hash=second_hash, head_count=2) == []
    skipped = _entry(3, first_hash)
    assert verify_chain("intent-abc", [(first, first_hash),
                                       (skipped, entry_hash("intent-abc", skipped))]) == [
        ChainProblem(3, "gap", "expected entry #2, found #3")]
    unlinked = _entry(2, GENESIS)
    assert verify_chain("intent-abc", [(first, first_hash),
                                       (unlinked, entry_hash("intent-abc", unlinked))]) == [
        ChainProblem(2, "link", "does not point at the previous entry's hash")]
    assert verify_chain("intent-abc", [(first, first_hash), (second, first_hash)]) == [
        ChainProblem(2, "hash", "its content no longer matches its hash")]
    assert verify_chain("intent-abc", _trail(), head_hash=second_hash, head_count=3) == [
        ChainProblem(3, "count", "the trail holds 2 entries, the head records 3")]
    assert verify_chain("intent-abc", _trail()[:1], head_hash=second_hash) == [
        ChainProblem(1, "head", "the last entry is not the one the head records")]


def test_an_empty_trail_verifies_against_the_genesis_head_only():
    from roadshow.signing.chain import ChainProblem, verify_chain

    assert verify_chain("intent-abc", [], head_hash=GENESIS, head_count=0) == []
    assert verify_chain("intent-abc", [], head_hash="ab" * 32) == [
        ChainProblem(0, "head", "the last entry is not the one the head records")]
