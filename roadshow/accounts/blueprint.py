"""The accounts blueprint and what its pages share: safe redirect targets, the time-zone choices,
the emailed links' settings, showing a service's refusal next to its field, and the scopes'
address prefixes (accounts build below events and organisations, so they name the prefixes the
scope fills rather than importing them). The pages live in views (signing in, registering,
passwords), invitation_views and people_views; views.py loads them all."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, render_template, request, url_for
from wtforms import SelectChoice

from roadshow.accounts.forms import choices
from roadshow.accounts.services import AccountError
from roadshow.accounts.zones import zone_choices
from roadshow.db import utcnow
from roadshow.i18n import is_valid_timezone

bp = Blueprint("accounts", __name__)

#: an organisation's pages and an event's pages: the scope loads ``g.organisation`` and
#: ``g.event`` from the slugs before access is checked (404 when unknown)
ORG = "/o/<org_slug>"
EVENT = "/e/<event_slug>"


def safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes to the dashboard. A control character
    (a newline cannot go in a Location header: it was a 500 for anyone) refuses the target."""
    if target and any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        target = None
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.dashboard")


def zone_choices_for(keep: str | None = None) -> list[SelectChoice]:
    """Canonical zones with their offset today. ``keep`` (a user's older choice) and a valid zone
    sent by the browser (some send old names such as Asia/Calcutta) stay in the list."""
    pairs = zone_choices(utcnow(), keep)
    sent = request.form.get("timezone") or request.cookies.get("tz")
    if is_valid_timezone(sent) and sent not in {zone for zone, _label in pairs}:
        pairs.append((sent, sent.replace("_", " ")))  # type: ignore[union-attr]
    return choices(pairs)


def suggested_zone() -> str:
    cookie = request.cookies.get("tz")
    return cookie if is_valid_timezone(cookie) else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def link_settings() -> dict[str, str]:
    return {"secret_key": current_app.config["SECRET_KEY"],
            "base_url": current_app.config["PUBLIC_BASE_URL"]}


def show_error(form: Any, error: AccountError, default: str) -> None:
    """Put a service's refusal next to the field it concerns; the form keeps what was typed."""
    field = getattr(form, error.field, None) if error.field else None
    field = field if field is not None else getattr(form, default)
    field.errors = [*field.errors, str(error)]


def link_problem(reason: str, kind: str) -> tuple[str, int]:
    status = 400 if reason in ("invalid", "replaced") else 410
    return render_template("accounts/link_problem.html", reason=reason, kind=kind), status

