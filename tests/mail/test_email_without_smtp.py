"""Without an SMTP server the message is kept in the outbox and written to the log."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from roadshow.mail.models import OutboxMessage, OutboxStatus
from tests.mail.test_email import REGISTRATION


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SMTP_HOST": None}


def test_without_smtp_the_message_is_kept_and_logged(client, db, mailbox, caplog):
    with caplog.at_level(logging.INFO, logger="roadshow.mail"):
        response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 200
    assert mailbox.messages == []
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.KEPT
    assert "/verify/" in row.body_text
    assert any("wang.fang@example.org" in r.getMessage() and "/verify/" in r.getMessage()
               for r in caplog.records)
