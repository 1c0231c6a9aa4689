"""The applications blueprint and what its pages share: the event of the URL and an application
of it (404 for one of another event), the template globals (the reader's own application, the
labels, country names) and ordering countries as the reader sorts them. The pages live in modules
named for what they hold (applicant_views, form_views, file_views, organizer_views); views.py
loads them all and is what the app registers.

Event pages are written in full under ``E`` (``/e/<event_slug>``): the scope loads the event
into ``g.event`` before access is checked, and ``url_for`` fills the slug inside an event page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g
from flask_login import current_user

from roadshow import countries
from roadshow.applications import policy, submission, uploads
from roadshow.applications.forms import (
    DEGREE_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    country_names,
    plain_number,
)
from roadshow.applications.models import Application
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.i18n import current_locale_code
from roadshow.scoping import get_in_event

bp = Blueprint("applications", __name__)


def this_event() -> Event:
    """The event named by the URL (loaded once by the scope, 404 when unknown)."""
    return g.event


def application_or_404(application_id: int) -> Application:
    """An application of the URL's event; one of another event answers 404 like a missing one."""
    application = get_in_event(db.session, Application, application_id, this_event())
    if application is None:
        abort(404)
    return application


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    limit = uploads.deck_max_bytes()
    return {"my_application": _my_application,
            "status_labels": STATUS_LABELS, "stage_labels": STAGE_LABELS,
            "degree_labels": DEGREE_LABELS, "country_name": country_name,
            "is_registration": policy.is_registration,
            "max_deck_bytes": limit, "plain_number": plain_number, "max_deck_mb": limit // (1024 * 1024)}


def _my_application(event: Event | None) -> Application | None:
    """The signed-in reader's own application to ``event`` (for the event's cards), if any."""
    if event is None or not current_user.is_authenticated:
        return None
    return submission.application_for(db.session, event, current_user)


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return country_names().get(code, code)


def in_reader_order(codes: list[str]) -> list[str]:
    """Country codes ordered by their names as the reader sorts them (pinyin in Chinese)."""
    locale = current_locale_code()
    return sorted(codes, key=lambda code: countries.sort_key(country_name(code), locale))

