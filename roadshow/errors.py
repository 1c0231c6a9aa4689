"""Friendly error pages in the reader's language."""

from __future__ import annotations

import logging
import time

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from roadshow.db import is_locked_error
from roadshow.extensions import db, limiter

log = logging.getLogger("roadshow.errors")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please check what you entered and try again.")),
        403: (_("Not allowed"), _("You do not have permission to open this page. If you think you should, sign in with the right account or ask the organizer.")),
        404: (_("Page not found"), _("We could not find that page. It may have moved, or the link may be mistyped.")),
        405: (_("Not allowed"), _("That action is not available here.")),
        409: (_("Changed meanwhile"), _("Someone changed this in the meantime. Reload the page to see the latest version, then try again.")),
        413: (_("File too large"), _("The upload is larger than this site accepts. Please choose a smaller file and try again.")),
        429: (_("Too many attempts"), _("Too many attempts in a short time. Please wait a minute and try again.")),
        500: (_("Something went wrong"), _("An unexpected error happened on our side. Nothing you saved has been lost; please try again in a moment.")),
    }


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = _messages().get(code, _messages()[500])
    return render_template("errors/error.html", code=code, title=title, message=message,
                           detail=detail), code


#: form fields never written back into a page
_SECRET_FIELDS = ("csrf_token", "password", "confirm", "current")


def _kept_fields() -> list[tuple[str, str]]:
    """What the user typed into the refused form, except secrets, to send again."""
    try:
        items = list(request.form.items(multi=True))
    except Exception:  # noqa: BLE001 - an unreadable body keeps nothing
        return []
    return [(name, value) for name, value in items
            if not any(secret in name for secret in _SECRET_FIELDS) and len(value) <= 20000]


def _minutes_until_allowed() -> int:
    """Whole minutes until the limit this request ran into lets it through again."""
    breached = limiter.current_limit
    if breached is None or not breached.breached:
        return 0
    try:
        seconds = breached.reset_at - time.time()
    except Exception:  # noqa: BLE001 - the limit's storage went away meanwhile: say nothing more
        return 0
    return max(1, round(seconds / 60))


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        log.info("CSRF failure on %s: %s", request.path, error.description)
        title, _message = _messages()[400]
        return render_template(
            "errors/csrf.html", code=400, title=title,
            message=_("Your form expired or was sent from another page, so it was not saved."),
            kept=_kept_fields(), action=request.full_path if request.query_string else request.path,
        ), 400

    @app.errorhandler(OperationalError)
    def database_error(error: OperationalError) -> tuple[str, int, dict[str, str]]:
        """SQLite stayed locked by another writer (see :mod:`roadshow.db`): nothing was saved,
        so the form comes back with what the user typed and a "try again"."""
        db.session.rollback()
        if not is_locked_error(error):
            raise error  # any other database failure is a 500, as before
        log.warning("database locked on %s %s", request.method, request.path)
        return render_template(
            "errors/busy.html", code=503, title=_("Busy for a moment"),
            message=_("The site was busy saving other changes, so yours was not saved yet. "
                      "Please try again in a moment."),
            kept=_kept_fields() if request.method == "POST" else [],
            files=bool(request.files) if request.method == "POST" else False,
            method=request.method,
            action=request.full_path if request.query_string else request.path,
        ), 503, {"Retry-After": "2"}

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def number_out_of_range(error: Exception) -> tuple[str, int]:
        """A number too large for the database (SQLite's driver refuses it, PostgreSQL answers
        SQLSTATE 22003) or for a date came from the request: bad input, not a failure of ours.
        Paths and query strings are held in range before (roadshow.core.params); this catches a
        view that parses a number itself. Any other DataError stays a 500."""
        db.session.rollback()
        if isinstance(error, DataError) and getattr(error.orig, "sqlstate", None) != "22003":
            raise error
        log.warning("number out of range on %s %s: %s", request.method, request.path,
                    str(error).splitlines()[0])
        return render_error(400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        if error.code == 429:
            minutes = _minutes_until_allowed()
            if minutes > 1:  # the general message asks for a minute; say when it is longer
                return render_error(429, ngettext(
                    "You can try again in about %(num)d minute.",
                    "You can try again in about %(num)d minutes.", minutes))
        if error.code == 413:
            limit = (app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
            if limit:
                return render_error(413, _("This site accepts up to %(mb)d MB at once.", mb=limit))
        return render_error(error.code)

    @app.errorhandler(500)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        log.error("unhandled error on %s: %r", request.path, getattr(error, "original_exception", error))
        return render_error(500)
