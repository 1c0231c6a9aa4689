"""The review blueprint and what its pages share: the template globals (deck links, labels,
the dashboard's figures), the ``score`` filter, and loading the event's applications in review.
The pages live in modules named for what they hold (organizer_views, selection_views,
judge_views, docking_views); views.py loads them all and is what the app registers. Loading the
blueprint connects review's answer to a copied event (copying) and registers its deck reader."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.routing import BuildError

from roadshow.applications import policy
from roadshow.applications.models import ApplicantProfile, Application
from roadshow.events.loaders import this_event
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.review import copying, district_docking, figures, review_scope
from roadshow.review.models import ConflictSource, InterestLevel
from roadshow.scoping import get_in_event

# every page lives under its event: /e/<event_slug>/review/... (roadshow.events.scope.E)
bp = Blueprint("review", __name__)
log = logging.getLogger("roadshow.review")


__all__ = ["bp", "copying", "this_event"]

# a district recruiter reads the decks of the applications their district docks with
if district_docking.may_read_deck not in policy.DECK_READERS:
    policy.DECK_READERS.append(district_docking.may_read_deck)

DECK_ENDPOINTS = ("applications.deck", "applications.download_deck", "applications.view_deck")


@bp.app_context_processor
def _review_helpers() -> dict[str, Any]:
    return {"review_deck_url": deck_url, "conflict_source_label": conflict_source_label,
            "interest_label": interest_label}


@bp.app_template_filter("score")
def score_filter(value: float | None, digits: int = figures.TOTAL_DIGITS) -> str:
    """``{{ total|score }}``: a total to the rubric's precision in the reader's locale."""
    return figures.format_score(value, str(get_locale() or "en"), digits)


def deck_url(application: Application) -> str | None:
    if application.deck is None:
        return None
    for endpoint in DECK_ENDPOINTS:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, application_id=application.id)
            except BuildError:  # a route with other parameters
                log.debug("deck endpoint %s takes other parameters", endpoint)
    return None


def deck_preview_url(application: Application) -> str | None:
    """The deck's first page as an image (decks are served for download only, not framed)."""
    if application.deck is None or "applications.deck_preview" not in current_app.view_functions:
        return None
    return url_for("applications.deck_preview", application_id=application.id)


def conflict_source_label(source: ConflictSource) -> str:
    return {
        ConflictSource.DECLARED: _("Declared by the judge"),
        ConflictSource.INSTITUTION: _("Same institution"),
        ConflictSource.TEAM: _("Co-author or team in common"),
        ConflictSource.RECRUITER: _("Judge recruits for a chosen district"),
        ConflictSource.ORGANIZER: _("Recorded by the organizer"),
    }[source]


def interest_label(level: InterestLevel | str) -> str:
    return {
        InterestLevel.NONE: _("No interest"),
        InterestLevel.INTERESTED: _("Interested"),
        InterestLevel.STRONG: _("Strongly interested"),
    }[InterestLevel(level)]


def application_in_review(application_id: int, event: Event) -> Application:
    """An application of ``event`` taking part in its review; 404 for any other, and for one of
    another event (its existence is not revealed)."""
    application = get_in_event(db.session, Application, application_id, event)
    if application is None or application.status not in review_scope.IN_REVIEW:
        abort(404)
    return application


def applicant_profile(application: Application) -> ApplicantProfile | None:
    return db.session.scalar(select(ApplicantProfile).where(ApplicantProfile.user_id == application.applicant_id))


def localized_name(obj: Any) -> str:
    return localized(obj, "name")
