"""The review blueprint and what its pages share: the template globals (deck links, labels,
the dashboard's figures), the ``score`` filter, and loading the event's applications in review.
The pages live in modules named for what they hold (organizer_views, selection_views,
judge_views, docking_views); views.py loads them all and is what the app registers."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from roadshow.accounts.roles import Role
from roadshow.applications import policy
from roadshow.applications.models import ApplicantProfile, Application
from roadshow.events.loaders import current_event_or_404
from roadshow.events.models import Event
from roadshow.events.services import current_event
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.review import district_docking, figures, judge_assignments, judging, review_scope
from roadshow.review.models import ConflictSource, InterestLevel, SelectionDecision

bp = Blueprint("review", __name__, url_prefix="/review")
log = logging.getLogger("roadshow.review")


# a district recruiter reads the decks of the applications their district docks with
if district_docking.may_read_deck not in policy.DECK_READERS:
    policy.DECK_READERS.append(district_docking.may_read_deck)

DECK_ENDPOINTS = ("applications.deck", "applications.download_deck", "applications.view_deck")


@bp.app_context_processor
def _review_helpers() -> dict[str, Any]:
    return {"review_deck_url": deck_url, "conflict_source_label": conflict_source_label,
            "interest_label": interest_label, "review_dashboard": review_dashboard}


@bp.app_template_filter("score")
def score_filter(value: float | None, digits: int = figures.TOTAL_DIGITS) -> str:
    """``{{ total|score }}``: a total to the rubric's precision in the reader's locale."""
    return figures.format_score(value, str(get_locale() or "en"), digits)


def review_dashboard() -> dict[str, int] | None:
    """Figures for the dashboard card of the signed-in user's role (None: no card)."""
    if not current_user.is_authenticated:
        return None
    event = current_event(db.session)
    if event is None:
        return None
    if current_user.role == Role.ORGANIZER:
        loads, _short = judge_assignments.load_report(db.session, event)
        assigned = sum(x.assigned for x in loads)
        submitted = sum(x.submitted for x in loads)
        finalists = db.session.scalar(select(func.count()).select_from(SelectionDecision).where(
            SelectionDecision.event_id == event.id, SelectionDecision.selected.is_(True))) or 0
        return {"assigned": assigned, "submitted": submitted, "finalists": finalists,
                "percent": round(100 * submitted / assigned) if assigned else 0}
    if current_user.role == Role.JUDGE:
        items = judging.judge_queue(db.session, current_user, event)
        done = sum(1 for i in items if i.state == "submitted")
        return {"done": done, "count": len(items), "percent": round(100 * done / len(items)) if items else 0}
    if current_user.role == Role.RECRUITER:
        apps = district_docking.recruiter_applications(db.session, current_user, event)
        marks = district_docking.district_interests(db.session, current_user.district_id)
        return {"count": len(apps),
                "marked": sum(1 for m in marks.values() if m.level != InterestLevel.NONE)}
    return None


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


this_event = current_event_or_404


def application_in_review(application_id: int, event: Event) -> Application:
    """An application of ``event`` taking part in its review; 404 for any other."""
    application = db.session.get(Application, application_id)
    if application is None or application.event_id != event.id or application.status not in review_scope.IN_REVIEW:
        abort(404)
    return application


def applicant_profile(application: Application) -> ApplicantProfile | None:
    return db.session.scalar(select(ApplicantProfile).where(ApplicantProfile.user_id == application.applicant_id))


def localized_name(obj: Any) -> str:
    return localized(obj, "name")
