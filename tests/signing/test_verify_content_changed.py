"""A sealed PDF whose content was changed after sealing: the verification page says it was
altered, and does not claim the seal was made by someone else (a broken seal cannot be
attributed to anyone; the file may well be the platform's own, edited afterwards)."""

from __future__ import annotations

import io
import re

from roadshow.extensions import db
from roadshow.signing import audit_trail


def _one_content_byte_changed(data: bytes) -> bytes:
    """One byte inside the first content stream: covered by the seal, outside its /Contents."""
    at = data.index(b"stream", data.index(b"obj")) + len(b"stream") + 20
    seal_contents = re.search(rb"/Contents\s*<[0-9a-fA-F]+>", data)
    assert seal_contents is not None
    assert not seal_contents.start() <= at < seal_contents.end()
    changed = bytearray(data)
    changed[at] = (changed[at] + 1) % 256
    return bytes(changed)


def _verify(client, data: bytes) -> str:
    response = client.post("/verify-intent", data={"document": (io.BytesIO(data), "intent.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_changed_sealed_pdf_is_altered_without_blaming_another_sealer(client, completed_intent):
    intent = completed_intent()
    data = audit_trail.sealed_pdf_of(db.session, intent)
    genuine = _verify(client, data)
    assert "Genuine and unaltered" in genuine
    assert "made by the Roadshow platform" in genuine
    page = _verify(client, _one_content_byte_changed(data))
    assert "Altered: do not rely on this file" in page
    assert "broken" in page
    assert "not made by the Roadshow platform" not in page
