"""Counts in the outbox read right with one and with more; the Chinese reads as before."""

from __future__ import annotations

from roadshow.mail.models import OutboxStatus
from tests.mail.test_outbox_pages import message


def test_one_failed_message_reads_in_the_singular(login_as, db, mailbox):
    admin, _ = login_as("applicant", is_platform_admin=True)
    message(db)
    page = admin.get("/outbox/").get_data(as_text=True)
    assert "Send the 1 waiting or failed message again" in page
    assert "1 message found." in page
    response = admin.post("/outbox/retry")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 of 1 message handled: 1 delivered, 0 still failing." in page


def test_two_messages_read_in_the_plural(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True)
    message(db), message(db, OutboxStatus.SENT)
    page = admin.get("/outbox/").get_data(as_text=True)
    assert "Send the 1 waiting or failed message again" in page
    assert "2 messages found." in page


def test_the_chinese_outbox_counts_read_as_before(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True, locale="zh_Hans_CN")
    message(db)
    page = admin.get("/outbox/").get_data(as_text=True)
    assert "重新发送 1 封等待中或失败的邮件" in page
    assert "共找到 1 封邮件。" in page
