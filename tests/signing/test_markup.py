"""The signing page passes the W3C Nu checker: the signature pad is named without a <label>
pointing at its canvas, which is no form control (issue 12, item 22)."""

from __future__ import annotations

import pytest

from tests.conftest import Auth
from tests.nu import nu_errors

pytestmark = pytest.mark.slow


def test_the_signing_page_is_valid_html(app, sent_intent, tmp_path):
    intent = sent_intent()
    client = app.test_client()
    Auth(client).login(intent.signers[0].user)
    page = client.get(f"/e/xz/signing/intents/{intent.id}/sign").get_data(as_text=True)
    assert 'id="signature-pad"' in page
    assert nu_errors({"sign": page}, tmp_path) == {"sign": []}
