"""Behind a trusted proxy the audit trail records the signer's address, not the proxy's
(issue 12, item 15)."""

from __future__ import annotations

import pytest

from roadshow.extensions import db
from tests.conftest import TEST_PASSWORD

CLIENT = "203.0.113.50"
PROXY = "10.0.0.2"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TRUSTED_PROXIES": 1}


def test_the_audit_trail_records_the_client_behind_the_proxy(app, sent_intent):
    intent = sent_intent()
    signer = intent.signers[0]
    client = app.test_client()
    behind_proxy = {"headers": {"X-Forwarded-For": CLIENT}, "environ_base": {"REMOTE_ADDR": PROXY}}
    assert client.post("/login", data={"email": signer.user.email, "password": TEST_PASSWORD},
                       **behind_proxy).status_code == 302
    response = client.post(f"/e/xz/signing/intents/{intent.id}/decline",
                           data={"decline-reason": "We chose another city.",
                                 "decline-password": TEST_PASSWORD}, **behind_proxy)
    assert response.status_code == 302
    db.session.expire_all()
    declined = [e for e in intent.audit_entries if e.action == "declined"]
    assert [e.ip for e in declined] == [CLIENT]
    assert PROXY not in {entry.ip for entry in intent.audit_entries}
