"""Verification of sealed PDFs whose signature blob was changed: always "altered", never a 500."""

from __future__ import annotations

import io
import re

import pytest

from roadshow.extensions import db
from roadshow.signing import audit_trail, seal


def _contents_span(data: bytes) -> tuple[int, int]:
    """Start and end (exclusive) of the hex digits of the seal's /Contents."""
    match = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", data)
    assert match is not None
    return match.start(1), match.end(1)


def _padding_changed(data: bytes) -> bytes:
    start, end = _contents_span(data)
    hex_digits = data[start:end]
    used = len(hex_digits.rstrip(b"0"))
    assert end - start - used > 64, "the seal leaves room (zero padding) after its CMS blob"
    changed = bytearray(data)
    changed[start + used + 20:start + used + 28] = b"DEADBEEF"
    return bytes(changed)


def _blob_changed(at_fraction: float):
    def change(data: bytes) -> bytes:
        start, end = _contents_span(data)
        used = len(data[start:end].rstrip(b"0"))
        at = start + int(used * at_fraction)
        changed = bytearray(data)
        changed[at] = ord("0") if changed[at] != ord("0") else ord("1")
        return bytes(changed)
    return change


def _blob_truncated(data: bytes) -> bytes:
    start, end = _contents_span(data)
    changed = bytearray(data)
    changed[start:end] = b"0" * (end - start)
    changed[start:start + 4] = b"3080"
    return bytes(changed)


def _content_type_changed(data: bytes) -> bytes:
    """The signed data's encapsulated content type (id-data) turned into another type."""
    id_data = b"06092A864886F70D010701"
    start, end = _contents_span(data)
    at = data.upper().index(id_data, start, end)
    changed = bytearray(data)
    changed[at + len(id_data) - 1:at + len(id_data)] = b"3"
    return bytes(changed)


def _signature_value_changed(data: bytes) -> bytes:
    """The last digit of the CMS blob (inside the signature value) changed."""
    start, end = _contents_span(data)
    used = len(data[start:end].rstrip(b"0"))
    changed = bytearray(data)
    changed[start + used - 1] = ord("1") if changed[start + used - 1] != ord("1") else ord("2")
    return bytes(changed)


TAMPERINGS = {
    "content type": _content_type_changed,
    "signature value": _signature_value_changed,
    "padding": _padding_changed,
    "blob start": _blob_changed(0.0),
    "blob middle": _blob_changed(0.5),
    "blob emptied": _blob_truncated,
}


@pytest.mark.parametrize("how", sorted(TAMPERINGS))
def test_a_changed_signature_blob_is_reported_altered(client, completed_intent, how):
    intent = completed_intent()
    data = audit_trail.sealed_pdf_of(db.session, intent)
    tampered = TAMPERINGS[how](data)
    assert tampered != data
    check = seal.check_pdf(tampered, audit_trail.seal_identity())
    assert check.has_seal
    assert not check.genuine
    response = client.post("/verify-intent",
                           data={"document": (io.BytesIO(tampered), "intent.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Altered: do not rely on this file" in page
    assert "Genuine and unaltered" not in page


def test_verify_page_names_the_file_fingerprint_for_what_it_is(client, completed_intent):
    intent = completed_intent()
    data = audit_trail.sealed_pdf_of(db.session, intent)
    page = client.post("/verify-intent", data={"document": (io.BytesIO(data), "intent.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert ">SHA-256 of the file<" not in page
    assert "Fingerprint of this PDF file (SHA-256)" in page


def test_verify_page_names_the_content_fingerprint_as_such(client, completed_intent):
    intent = completed_intent()
    page = client.post("/verify-intent", data={"sha256": intent.content_sha256}).get_data(
        as_text=True)
    assert ">SHA-256 of the file<" not in page
    assert "Fingerprint of the signed content (SHA-256)" in page
