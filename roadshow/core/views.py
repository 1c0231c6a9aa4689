"""Home page, dashboards and the language switch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from roadshow.access import current_grant, grants_in_events, public, requires
from roadshow.accounts.views import safe_next
from roadshow.applications import todos as application_todos
from roadshow.core import dashboard as dashboards
from roadshow.core.health import report
from roadshow.events import dashboard_todos as event_todos
from roadshow.events.models import Event
from roadshow.events.services import calls, coming_calls, open_calls
from roadshow.extensions import db
from roadshow.i18n import normalise_locale
from roadshow.live import todos as live_todos
from roadshow.organisations.models import Organisation
from roadshow.organisations.views import my_organisations
from roadshow.review import todos as review_todos
from roadshow.scheduling import todos as scheduling_todos
from roadshow.signing import todos as signing_todos

bp = Blueprint("core", __name__)

#: the domains' to-do modules the dashboard asks, in the funnel's order; each has
#: ``todos(session, user, grants) -> {event id: [Todo]}`` (roadshow/events/todos.py)
TODO_MODULES = (event_todos, application_todos, review_todos, scheduling_todos, live_todos,
                signing_todos)


#: events the header's switcher lists at most
SWITCHER_SIZE = 30


def switcher_events() -> list[Event]:
    """The other events of the signed-in person, for the event header's switcher (newest
    first, archived last), computed once per request."""
    if "switcher_events" not in g:
        found: list[Event] = []
        if current_user.is_authenticated and g.get("event") is not None:
            ids = dashboards.event_ids_of(db.session, current_user,
                                          [o.id for o in my_organisations()])
            ids.discard(g.event.id)
            if ids:
                found = list(db.session.scalars(
                    select(Event).where(Event.id.in_(ids))
                    .order_by(Event.archived_at.is_not(None), Event.created_at.desc(), Event.id.desc())
                    .limit(SWITCHER_SIZE)))
        g.switcher_events = found
    return g.switcher_events


def organised_offices() -> list[Organisation]:
    """The offices the signed-in person organises (the navigation links to their events), once
    per request."""
    return my_organisations()


@bp.app_context_processor
def _header_helpers() -> dict[str, Any]:
    return {"switcher_events": switcher_events, "organised_offices": organised_offices}


@bp.route("/")
@public
def home() -> str:
    """The calls open now and coming, of every office."""
    events = calls(db.session)
    return render_template("core/home.html", open_calls=open_calls(db.session, events=events),
                           coming_calls=coming_calls(db.session, events=events))


@bp.route("/dashboard")
@requires("account.use")
def dashboard() -> str:
    board = dashboards.build(db.session, current_user, TODO_MODULES, my_organisations(),
                             grants_of=grants_in_events)
    return render_template("core/dashboard.html", board=board, account=current_grant(),
                           open_calls=open_calls(db.session))


@bp.route("/language", methods=["POST"])
@public
def set_language() -> Response:
    locale = normalise_locale(request.form.get("locale"))
    if locale:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))


@bp.route("/healthz")
@public
def health() -> tuple[Response, int]:
    """200 when the database and (if configured) Redis answer, else 503; JSON either way."""
    body, healthy = report(db.session, current_app.config.get("REDIS_URL"))
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if healthy else 503
