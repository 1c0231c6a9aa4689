"""An event's messages to groups: the history, writing one (the group, both languages or one),
the preview of who receives it, sending it as a background job; and the message as each
recipient reads it."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.group_messages import groups, services
from roadshow.i18n import current_locale_code
from roadshow.jobs.queue import job_queue

bp = Blueprint("group_messages", __name__)


def _choices() -> dict[str, Any]:
    event = g.event
    return {"kinds": groups.KINDS, "needs_value": groups.NEEDS_VALUE,
            "sessions": groups.sessions(db.session, event),
            "statuses": groups.STATUS_LABELS,
            "searches": groups.saved_searches(db.session, current_user, event),
            "pool": groups.may_use_pool(db.session, current_user, event)}


def _form(draft: services.Draft, problems: dict[str, str] | None = None) -> tuple[str, int] | str:
    errors = {field: str(services.PROBLEMS[key]) for field, key in (problems or {}).items()}
    page = render_template("group_messages/compose.html", event=g.event, draft=draft,
                           errors=errors, **_choices())
    return (page, 422) if errors else page


@bp.route(f"{E}/messages")
@requires("messages.send")
def index() -> str:
    return render_template("group_messages/index.html", event=g.event,
                           messages=services.history(db.session, g.event))


@bp.route(f"{E}/messages/new", methods=["GET", "POST"])
@requires("messages.send")
def compose() -> Response | tuple[str, int] | str:
    """The form; posted: the preview of who receives it, or (confirmed) the sending."""
    if request.method == "GET":
        return _form(services.Draft(group=request.args.get("group", ""),
                                    value=request.args.get("value", "")))
    draft = services.Draft.from_form(request.form)
    action = request.form.get("action", "preview")
    if action == "edit":
        return _form(draft)
    event = g.event
    try:
        found = services.check(db.session, current_user, event, draft)
    except services.DraftError as wrong:
        return _form(draft, wrong.problems)
    shown = services.fingerprint(found)
    token = request.form.get("token", "")
    if action == "send" and token and request.form.get("previewed") == shown:
        message, made = services.create(db.session, current_user, event, draft, found,
                                        token=token)
        db.session.commit()
        if made and message.job is not None:
            job_queue().enqueue(message.job)
        return redirect(url_for("jobs.status", background_job_id=message.job_id)
                        if message.job_id else url_for("group_messages.message",
                                                       group_message_id=message.id))
    return render_template(
        "group_messages/preview.html", event=event, draft=draft, recipients=found,
        fingerprint=shown, token=token or secrets.token_urlsafe(24),
        changed=action == "send", kinds=groups.KINDS,
        group_label=groups.label(db.session, current_user, event, draft.group, draft.value,
                                 current_locale_code()))


@bp.route(f"{E}/messages/<int:group_message_id>")
@requires("messages.send")
def message(group_message_id: int) -> str:
    found = services.find(db.session, g.event, group_message_id)
    if found is None:
        abort(404)
    return render_template("group_messages/message.html", event=g.event, message=found)


@bp.route("/messages/<int:group_message_id>")
@requires("account.use")
def read(group_message_id: int) -> str:
    """The message as a recipient reads it, in their language."""
    found = services.received(db.session, current_user, group_message_id)
    if found is None:
        abort(404)
    subject, body = services.texts(found, current_locale_code())
    return render_template("group_messages/read.html", message=found, subject=subject,
                           body=body, event=found.event)
