"""Sign-in, sign-out and profile. Thin: load, check, call a service, commit once."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from roadshow.access import public, requires
from roadshow.accounts.forms import LoginForm, ProfileForm
from roadshow.accounts.services import authenticate, record_login
from roadshow.extensions import db, limiter
from roadshow.i18n import common_timezones, is_valid_timezone

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes to the dashboard."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.dashboard")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login() -> str | Response:
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is None:
            flash(_("The email address or password is not correct."), "danger")
        elif not user.active:
            flash(_("This account has been deactivated. Please contact the organizer."), "danger")
        elif user.email_verified_at is None:
            flash(_("Please confirm your email address first: open the link we sent you."), "warning")
            return render_template("accounts/login.html", form=form, unverified_email=user.email)
        else:
            login_user(user, remember=bool(form.remember.data))
            record_login(user)
            db.session.commit()
            return redirect(safe_next(form.next.data))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    if current_user.is_authenticated:
        from roadshow.accounts.signals import user_logged_out

        user_id = current_user.id
        logout_user()
        user_logged_out.send(current_app._get_current_object(), user_id=user_id)  # type: ignore[attr-defined]
    flash(_("You are signed out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/profile", methods=["GET", "POST"])
@requires("account.use")
def profile() -> str | Response:
    form = ProfileForm(obj=current_user)
    form.timezone.choices = [(z, z) for z in common_timezones()]
    if form.validate_on_submit():
        if not is_valid_timezone(form.timezone.data):
            form.timezone.errors = [_("Please choose a time zone from the list.")]
        else:
            current_user.name = (form.name.data or "").strip()
            current_user.name_native = (form.name_native.data or "").strip() or None
            current_user.locale = form.locale.data
            current_user.timezone = form.timezone.data
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)
