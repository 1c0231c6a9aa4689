"""A forged "sealed" PDF packed with verification links cannot hold the public verify page:
the intents a file claims to be are looked up a bounded number of times, however many links it
carries (one query per link made a 1 MB upload hold the request for 12 s)."""

from __future__ import annotations

import io
import re

from sqlalchemy import event

from roadshow.extensions import db
from roadshow.signing import audit_trail, verification


def _with_appended_comment(data: bytes, comment: bytes) -> bytes:
    """The file with a comment appended and its last cross-reference repeated after it, so PDF
    readers still find the seal (and see that the file changed after sealing)."""
    startxref = re.findall(rb"startxref\s+(\d+)", data)[-1]
    return data + b"\n%" + comment + b"\nstartxref\n" + startxref + b"\n%%EOF\n"


def _statements_during(action):
    statements: list[str] = []
    engine = db.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        result = action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, statements


def test_a_file_packed_with_verify_links_is_looked_up_a_bounded_number_of_times(client, completed_intent):
    intent = completed_intent()
    data = audit_trail.sealed_pdf_of(db.session, intent)
    forged = _with_appended_comment(data, b"/verify-intent/not-an-intent) " * 10_000)
    response, statements = _statements_during(lambda: client.post(
        "/verify-intent", data={"document": (io.BytesIO(forged), "intent.pdf")},
        content_type="multipart/form-data"))
    assert response.status_code == 200
    assert "Altered: do not rely on this file" in response.get_data(as_text=True)
    assert len(statements) < 20


def test_the_intent_a_changed_file_claims_is_still_named(client, completed_intent):
    intent = completed_intent()
    data = audit_trail.sealed_pdf_of(db.session, intent)
    forged = _with_appended_comment(
        data, b"/verify-intent/junk) " * 50 + f"/verify-intent/{intent.public_id})".encode())
    result = verification.verify_pdf(db.session, forged)
    assert not result.genuine
    assert result.intent is not None
    assert result.intent.id == intent.id
