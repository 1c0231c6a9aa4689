"""Home page, dashboards and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import public, requires
from roadshow.accounts.views import safe_next
from roadshow.core.health import report
from roadshow.events.services import current_event
from roadshow.extensions import db
from roadshow.i18n import normalise_locale

bp = Blueprint("core", __name__)

#: domains whose ``templates/<domain>/_dashboard.html`` partial the dashboard includes, in order
DASHBOARD_SECTIONS = ("events", "applications", "review", "scheduling", "live", "signing",
                      "districts", "accounts", "mail")


@bp.route("/")
@public
def home() -> str:
    return render_template("core/home.html", event=current_event(db.session))


@bp.route("/dashboard")
@requires("account.use")
def dashboard() -> str:
    return render_template(
        "core/dashboard.html",
        event=current_event(db.session),
        sections=[f"{domain}/_dashboard.html" for domain in DASHBOARD_SECTIONS],
        role=current_user.role,
    )


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
