"""The password asked when declining an intent counts into the account's limit on wrong
passwords, shared with sign-in (issue 12, item 16)."""

from __future__ import annotations

import pytest

from roadshow.signing.flow import IntentState
from tests.conftest import TEST_PASSWORD, Auth


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LOGIN_RATE_LIMIT": "100 per minute", "PASSWORD_RATE_LIMIT": "3 per minute"}


def _decline(client, intent, password: str):
    return client.post(f"/e/xz/signing/intents/{intent.id}/decline", data={
        "decline-reason": "We chose another city.", "decline-password": password})


def test_wrong_passwords_when_declining_are_limited_per_account(app, sent_intent):
    intent = sent_intent()
    signer = intent.signers[0].user
    client = app.test_client()
    Auth(client).login(signer)
    for _ in range(3):
        assert _decline(client, intent, "wrong-one-1").status_code == 400
    refused = _decline(client, intent, TEST_PASSWORD)
    assert refused.status_code == 429
    assert intent.state != IntentState.DECLINED
    # the same account's sign-in waits too, from anywhere
    other_browser = app.test_client()
    response = other_browser.post("/login", data={"email": signer.email, "password": TEST_PASSWORD},
                                  environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert response.status_code == 429


def test_a_right_password_when_declining_is_not_held_back(app, sent_intent):
    intent = sent_intent()
    client = app.test_client()
    Auth(client).login(intent.signers[0].user)
    assert _decline(client, intent, "wrong-one-1").status_code == 400
    assert _decline(client, intent, TEST_PASSWORD).status_code == 302
    assert intent.state == IntentState.DECLINED
