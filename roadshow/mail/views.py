"""The platform administrator's outbox (issue 13: mail.manage is ADMIN only): every message Roadshow
sent or kept, across every office and event, and retrying what failed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import Message
from email.utils import parsedate_to_datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.extensions import db
from roadshow.jobs import services as job_services
from roadshow.jobs.queue import job_queue
from roadshow.mail import retry
from roadshow.mail.jobs import RETRY
from roadshow.mail.models import OutboxMessage, OutboxStatus
from roadshow.mail.outbox import deliver

bp = Blueprint("mail", __name__, url_prefix="/outbox")

PER_PAGE = 50


def status_labels() -> dict[OutboxStatus, str]:
    return {
        OutboxStatus.QUEUED: _("Waiting to be sent"),
        OutboxStatus.SENT: _("Sent"),
        OutboxStatus.KEPT: _("Kept (no mail server)"),
        OutboxStatus.FAILED: _("Failed"),
    }


@bp.route("/")
@requires("mail.manage")
def index() -> str:
    status_value = request.args.get("status", "")
    status = OutboxStatus(status_value) if status_value in {s.value for s in OutboxStatus} else None
    query = request.args.get("q", "")[:100].strip()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    statement = select(OutboxMessage)
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(func.lower(OutboxMessage.to_address).like(like)
                                    | func.lower(OutboxMessage.subject).like(like))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    messages = db.session.scalars(statement.order_by(OutboxMessage.id.desc())
                                  .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count())
                                     .group_by(OutboxMessage.status)).all())
    return render_template(
        "mail/index.html", messages=messages, status=status, query=query, page=page,
        pages=max(1, -(-total // PER_PAGE)), total=total,
        counts={s: counts.get(s, 0) for s in OutboxStatus}, labels=status_labels(),
        retryable=counts.get(OutboxStatus.FAILED, 0) + counts.get(OutboxStatus.QUEUED, 0),
        running=job_services.active_job(db.session, RETRY, None),
        smtp_configured=bool(current_app.config.get("SMTP_HOST")),
    )


def header_date(name: str, value: str) -> datetime | None:
    """A date header (``Date``, ``Resent-Date`` ...) as an aware UTC datetime, else None.

    Header dates are RFC 2822 strings in the sender's offset; the page shows them in the
    reader's zone like every other time. A value that does not parse stays as it was written.
    """
    if name.lower() != "date" and not name.lower().endswith("-date"):
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        # "-0000": RFC 5322 says the time is UTC and the sender's own zone is unknown
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def header_rows(parsed: Message) -> list[tuple[str, str, datetime | None]]:
    """``(name, value, moment)`` for each header; ``moment`` is set for date headers."""
    rows = []
    for name, value in parsed.items():
        text = str(value)
        rows.append((name, text, header_date(name, text)))
    return rows


#: an http(s) URL in a plain-text body: up to the first space, angle bracket, quote or
#: full-width punctuation (a Chinese sentence may follow a link without a space)
_URL = re.compile(r"https?://[^\s<>\"'`\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+", re.IGNORECASE)
#: punctuation that ends the sentence around a link rather than the link itself
_TRAILING = ".,;:!?'\""


def _url_end(url: str) -> str:
    """``url`` without the sentence's punctuation after it; a closing bracket stays when the
    URL opened it (``https://en.wikipedia.org/wiki/Xuzhou_(disambiguation)``)."""
    while url:
        last = url[-1]
        opening = {")": "(", "]": "[", "}": "{"}.get(last)
        if last in _TRAILING or (opening and url.count(opening) < url.count(last)):
            url = url[:-1]
        else:
            break
    return url


def linkify(text: str) -> Markup:
    """A plain-text body as HTML: everything escaped, each http(s) URL a link that opens in a
    new tab without access to this page. Nothing else of the text becomes markup."""
    out: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url = _url_end(match.group(0))
        if url.partition("://")[2]:  # something is left after the scheme
            out.append(escape(text[last:match.start()]))
            out.append(Markup('<a href="{0}" target="_blank" rel="noopener noreferrer">{0}</a>')
                       .format(url))
            last = match.start() + len(url)
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _message_or_404(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@bp.route("/<int:message_id>")
@requires("mail.manage")
def show(message_id: int) -> str:
    message = _message_or_404(message_id)
    parsed = message_from_bytes(message.raw, policy=policy.default)
    parts = [
        {"type": part.get_content_type(), "filename": part.get_filename(),
         "size": len(part.get_payload(decode=True) or b"")}
        for part in parsed.walk() if not part.is_multipart()
    ]
    return render_template("mail/show.html", message=message, parts=parts,
                           body=linkify(message.body_text),
                           headers=header_rows(parsed),
                           labels=status_labels())


@bp.route("/<int:message_id>/retry", methods=["POST"])
@requires("mail.manage")
def retry_one(message_id: int) -> Response:
    message = _message_or_404(message_id)
    if message.status not in retry.RETRYABLE:
        flash(_("This message does not need to be sent again."), "info")
    elif deliver([message.id]):
        flash(_("The message was delivered."), "success")
    else:
        flash(_("The message could not be delivered this time; the error is shown below."), "warning")
    return redirect(url_for("mail.show", message_id=message.id))


@bp.route("/retry", methods=["POST"])
@requires("mail.manage")
def retry_all() -> Response:
    """Send every waiting or failed message again, as a background job with progress; asking
    again while one runs shows the running one."""
    running = job_services.active_job(db.session, RETRY, None)
    if running is not None:
        return redirect(url_for("jobs.status", background_job_id=running.id))
    ids = retry.retryable_ids(db.session)
    if not ids:
        flash(_("No message is waiting or failed."), "info")
        return redirect(url_for("mail.index"))
    job, _created = job_services.start(db.session, current_user, RETRY, total=len(ids),
                                       params={"ids": ids})
    db.session.commit()
    job_queue().enqueue(job)
    return redirect(url_for("jobs.status", background_job_id=job.id))
