"""Email through a real SMTP server (aiosmtpd on loopback), in the recipient's language."""

from __future__ import annotations

from sqlalchemy import select

from roadshow.mail.models import OutboxMessage, OutboxStatus

REGISTRATION = {
    "name": "Wang Fang", "name_native": "王芳", "email": "wang.fang@example.org",
    "password": "Silk-Road-2026!", "confirm": "Silk-Road-2026!", "locale": "zh_Hans_CN",
    "timezone": "Europe/Paris",
}


def test_verification_mail_arrives_in_recipients_language(client, db, mailbox):
    # the page is in English, the recipient chose Chinese: the mail follows the recipient
    client.post("/register", data=REGISTRATION, headers={"Accept-Language": "en"})
    [message] = mailbox.to("wang.fang@example.org")
    assert message["Subject"] == "请确认您的云路演注册邮箱"
    assert message["Content-Language"] == "zh-Hans-CN"
    assert message["From"] == "Roadshow <roadshow@example.org>"
    assert mailbox.envelopes[-1] == ("roadshow@example.org", ["wang.fang@example.org"])
    # MIME: a text part and an HTML alternative, both UTF-8 and both in Chinese
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text.get_content_charset() == "utf-8"
    assert "王芳，您好" in text.get_content()
    assert "确认我的邮箱" in html.get_content()
    assert "http://localhost/verify/" in text.get_content()
    # kept in the outbox, marked sent
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.SENT
    assert row.locale == "zh_Hans_CN"
    assert row.subject == message["Subject"]
    assert row.sent_at is not None


def test_verification_mail_in_english_for_english_recipient(client, mailbox):
    client.post("/register", data={**REGISTRATION, "locale": "en"},
                headers={"Accept-Language": "zh-CN"})
    [message] = mailbox.to("wang.fang@example.org")
    assert message["Subject"] == "Confirm your email address for Roadshow"
    assert "Hello Wang Fang," in message.get_body(preferencelist=("plain",)).get_content()
