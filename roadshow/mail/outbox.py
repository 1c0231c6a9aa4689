"""Queue email in the recipient's language; deliver through SMTP once the change commits.

Services call :func:`queue_email` inside their unit of work. The message is rendered from
``templates/<template>.subject.txt``, ``.txt`` and (optionally) ``.html`` in the recipient's
language and zone, stored in the outbox in the same transaction, and delivered after the
transaction commits: a rolled-back change sends nothing. Without an SMTP server the message is
logged and kept in the outbox, where organizers can read it.
"""

from __future__ import annotations

import functools
import logging
import re
import smtplib
import ssl
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.i18n import recipient_context
from roadshow.mail import wording
from roadshow.mail.models import OutboxMessage, OutboxStatus

log = logging.getLogger("roadshow.mail")

_PENDING_KEY = "roadshow_outbox_pending"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "application/pdf"
    data: bytes
    params: Mapping[str, str] | None = None  # extra Content-Type parameters


@dataclass(frozen=True)
class CalendarPart:
    """An iTIP message: shown inline as ``text/calendar; method=...`` and attached as .ics."""

    method: str  # REQUEST, CANCEL, REPLY ...
    ics: bytes
    filename: str = "invite.ics"


@dataclass(frozen=True)
class Recipient:
    address: str
    locale: str = "en"
    timezone: str = "Asia/Shanghai"

    @classmethod
    def of(cls, user: Any) -> Recipient:
        return cls(user.email, user.locale, user.timezone)


def build_message(
    *,
    recipient: Recipient,
    subject: str,
    text: str,
    html: str | None,
    attachments: Sequence[Attachment] = (),
    calendar: CalendarPart | None = None,
    sender: str,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = recipient.address
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="roadshow.local")
    for name, value in (headers or {}).items():  # e.g. RFC 8058's List-Unsubscribe
        msg[name] = value
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    if calendar:
        if not html:
            # keep the structure multipart/alternative so the calendar part is an alternative
            msg.make_alternative()
        msg.add_alternative(calendar.ics.decode("utf-8"), subtype="calendar",
                            params={"method": calendar.method})
    if attachments or calendar:
        msg.make_mixed()
    if calendar:
        msg.add_attachment(calendar.ics, maintype="application", subtype="ics",
                           filename=calendar.filename)
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        msg.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                           filename=attachment.filename, params=dict(attachment.params or {}))
    # set last: making the message multipart moves every Content-* header into the first part
    msg["Content-Language"] = "zh-Hans-CN" if recipient.locale.startswith("zh") else "en"
    return msg


def render_email(template: str, context: Mapping[str, Any], recipient: Recipient,
                 footer: str | None = None) -> tuple[str, str, str | None]:
    """Subject, text and HTML of ``template`` in the recipient's language and zone; ``footer``
    (a template of the same shape, without a subject) is appended to both bodies."""
    with recipient_context(recipient.locale, recipient.timezone):
        subject = render_template(f"{template}.subject.txt", **context).strip()
        text = render_template(f"{template}.txt", **context)
        try:
            html = render_template(f"{template}.html", **context)
        except TemplateNotFound:
            html = None
        subject, text, html = wording.apply(template, recipient.locale, context, subject, text, html)
        if footer:
            text = text.rstrip("\n") + "\n\n-- \n" + render_template(f"{footer}.txt", **context)
            if html is not None:
                html_footer = render_template(f"{footer}.html", **context)
                html = (html.replace("</body>", html_footer + "</body>", 1) if "</body>" in html
                        else html + html_footer)
    return " ".join(subject.split()), text, html


def queue_email(
    recipient: Recipient | Any,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    attachments: Sequence[Attachment] = (),
    calendar: CalendarPart | None = None,
    session: Session | None = None,
    headers: Mapping[str, str] | None = None,
    footer: str | None = None,
) -> OutboxMessage:
    """Render and store a message; it is delivered after the surrounding commit. ``headers``
    are added to the message as they are; ``footer`` names a template appended to its bodies
    (the notifications' unsubscribe line)."""
    if not isinstance(recipient, Recipient):
        recipient = Recipient.of(recipient)
    context = dict(context or {})
    context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"])
    subject, text, html = render_email(template, context, recipient, footer)
    message = build_message(
        recipient=recipient, subject=subject, text=text, html=html,
        attachments=attachments, calendar=calendar, sender=current_app.config["MAIL_FROM"],
        headers=headers,
    )
    row = OutboxMessage(
        to_address=recipient.address, locale=recipient.locale, subject=subject,
        body_text=text, raw=message.as_bytes(), template=template,
    )
    session = session or db.session
    session.add(row)
    session.info.setdefault(_PENDING_KEY, []).append(row)
    return row


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The verifying TLS context of every SMTP connection, made once: loading the system's
    certificate authorities takes some 30 ms, which a plain connection should not pay."""
    return ssl.create_default_context()


def smtp_connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    """An open SMTP connection (TLS and login as configured); the caller closes it."""
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    smtp_class = smtplib.SMTP_SSL if config.get("SMTP_SSL") else smtplib.SMTP
    kwargs: dict[str, Any] = {"timeout": 15}
    if config.get("SMTP_SSL"):
        kwargs["context"] = _tls_context()
    smtp = smtp_class(host, port, **kwargs)
    try:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls(context=_tls_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _sendmail(smtp: smtplib.SMTP, config: Mapping[str, Any], to_address: str, raw: bytes) -> None:
    # smtplib sends bytes as they are; SMTP wants CRLF line ends (bare LF makes one long line)
    smtp.sendmail(parseaddr(config["MAIL_FROM"])[1], [to_address],
                  re.sub(rb"\r?\n", b"\r\n", raw))


def smtp_send(config: Mapping[str, Any], to_address: str, raw: bytes) -> None:
    with smtp_connect(config) as smtp:
        _sendmail(smtp, config, to_address, raw)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def deliver(message_ids: Iterable[int]) -> int:
    """Deliver queued messages now; returns how many reached SMTP (or were kept)."""
    config = current_app.config
    with Session(db.engine) as session:
        rows = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.id.in_(list(message_ids)),
                OutboxMessage.status.in_([OutboxStatus.QUEUED, OutboxStatus.FAILED]),
            )
        ).all()
        done = _deliver_rows(config, rows)
        session.commit()
    return done


def _deliver_rows(config: Mapping[str, Any], rows: Sequence[OutboxMessage]) -> int:
    done = 0
    connection: smtplib.SMTP | None = None
    try:
        for row in rows:
            row.attempts += 1
            if not config.get("SMTP_HOST"):
                row.status = OutboxStatus.KEPT
                log.info("no SMTP configured; kept message %s to %s: %s\n%s",
                         row.id, row.to_address, row.subject, row.body_text)
                done += 1
                continue
            try:
                # one connection for the messages of one delivery (a batch of reminders: one
                # handshake, not one per message); a server that drops a reused connection
                # gets a fresh one for the same message
                try:
                    reused = connection is not None
                    connection = connection or smtp_connect(config)
                    _sendmail(connection, config, row.to_address, row.raw)
                except smtplib.SMTPServerDisconnected:
                    _close(connection)
                    connection = None
                    if not reused:
                        raise
                    connection = smtp_connect(config)
                    _sendmail(connection, config, row.to_address, row.raw)
            except (OSError, smtplib.SMTPException) as exc:
                _close(connection)  # whatever state it is in, the next message starts afresh
                connection = None
                row.status = OutboxStatus.FAILED
                row.error = f"{type(exc).__name__}: {exc}"
                log.warning("could not send message %s to %s: %s", row.id, row.to_address, exc)
            else:
                row.status = OutboxStatus.SENT
                row.sent_at = utcnow()
                row.error = ""
                done += 1
    finally:
        _close(connection)
    return done


def deliver_pending_queue() -> int:
    """Retry everything queued or failed (``roadshow outbox flush``)."""
    ids = db.session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.status.in_([OutboxStatus.QUEUED, OutboxStatus.FAILED])
        )
    ).all()
    return deliver(ids)


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    pending: list[OutboxMessage] = session.info.pop(_PENDING_KEY, [])
    identities = [inspect(row).identity for row in pending]
    ids = [identity[0] for identity in identities if identity]
    if ids:
        deliver(ids)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
