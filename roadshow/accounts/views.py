"""Sign-in, sign-out, registration, passwords and profile. Thin: load, check, call a service,
commit once. The blueprint and what the pages share live in blueprint.py; invitations and the
people pages in invitation_views and people_views, which importing them here registers on
``bp``, which the app registers."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from roadshow.access import public, requires
from roadshow.accounts import (
    bulk_invitation_views,
    invitation_views,
    people_views,
    services,
    signals,
)
from roadshow.accounts.blueprint import (
    bp,
    link_problem,
    link_settings,
    safe_next,
    show_error,
    suggested_zone,
    zone_choices_for,
)
from roadshow.accounts.forms import (
    ChangePasswordForm,
    EmailOnlyForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from roadshow.accounts.services import AccountError, authenticate, record_login
from roadshow.accounts.throttle import password_guesses, signed_in_account, typed_account
from roadshow.accounts.tokens import LinkError
from roadshow.extensions import db, limiter
from roadshow.i18n import current_locale_code, is_valid_timezone, normalise_locale

__all__ = ["bp", "bulk_invitation_views", "invitation_views", "people_views", "safe_next"]


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@password_guesses(typed_account)
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


def _sign_out_everywhere() -> None:
    """End this session and every other one of the user, server-side: a copied session or
    remember-me cookie stops working, and their live connections close."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    services.end_sessions(user)
    db.session.commit()
    logout_user()
    services.announce_signed_out(user.id)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    if current_user.is_authenticated:
        _sign_out_everywhere()
    flash(_("You are signed out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/profile/sign-out-everywhere", methods=["POST"])
@requires("account.use")
def sign_out_everywhere() -> Response:
    _sign_out_everywhere()
    flash(_("You are signed out on every device and browser where you were signed in."), "info")
    return redirect(url_for("core.home"))


@bp.route("/profile", methods=["GET", "POST"])
@requires("account.use")
def profile() -> str | Response:
    form = ProfileForm(obj=current_user)
    form.timezone.choices = zone_choices_for(current_user.timezone)
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
    return render_template("accounts/profile.html", form=form,
                           password_form=ChangePasswordForm(prefix="pw"))



# --- self-registration ----------------------------------------------------------------------

def signup_closed() -> Any | None:
    """Why applicants cannot sign up now (the call is over), asked of later stages through
    ``signals.signup_status`` once per request; None while sign-up is open."""
    if "signup_closed" not in g:
        try:
            answers = signals.signup_status.send(current_app._get_current_object())
        except SQLAlchemyError:  # e.g. on an error page while the database is down
            current_app.logger.warning("could not tell whether sign-up is open", exc_info=True)
            answers = []
        g.signup_closed = next((answer for _receiver, answer in answers if answer is not None),
                               None)
    return g.signup_closed


@bp.app_context_processor
def _signup_helpers() -> dict[str, Any]:
    return {"signup_closed": signup_closed}


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_account_limit, methods=["POST"])
@public
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    closed = signup_closed()
    if closed is not None:
        # the call is over: say so, and when the next one opens if that is known
        status = 409 if request.method == "POST" else 200
        return render_template("accounts/signup_closed.html", closed=closed), status
    form = RegisterForm()
    form.timezone.choices = zone_choices_for()
    if request.method == "GET":
        form.locale.data = normalise_locale(current_locale_code()) or "en"
        form.timezone.data = suggested_zone()
        form.event.data = request.args.get("event", "")[:200]
    event = services.signup_event(db.session, form.event.data)
    if form.validate_on_submit():
        try:
            services.register_applicant(
                db.session, email=form.email.data or "", password=form.password.data or "",
                name=form.name.data or "", name_native=(form.name_native.data or "").strip() or None,
                locale=form.locale.data, timezone=form.timezone.data, event=event,
                **link_settings(),
            )
        except AccountError as error:
            show_error(form, error, "password")
            db.session.rollback()
        else:
            db.session.commit()
            # the same page whether the address was new or already had an account (then its
            # owner was mailed instead): the form does not tell who has an account
            email = services.normalise_email(form.email.data or "")
            return render_template("accounts/check_email.html", email=email,
                                   resend_form=EmailOnlyForm(email=email))
    return render_template("accounts/register.html", form=form, event=event,
                           zone_chosen=request.method == "POST")


@bp.route("/verify/<token>")
@public
def verify(token: str) -> str | Response | tuple[str, int]:
    try:
        user, confirmed_now = services.verify_email(db.session, token,
                                                    secret_key=current_app.config["SECRET_KEY"])
    except LinkError as problem:
        return link_problem(problem.reason, "verify")
    db.session.commit()
    if not user.active:
        flash(_("This account has been deactivated. Please contact the organizer."), "danger")
        return redirect(url_for("accounts.login"))
    if not confirmed_now:
        # the emailed link signs in once; used again (a forwarded email) it only says so
        if current_user.is_authenticated and current_user.id == user.id:
            flash(_("This address is already confirmed."), "info")
            return redirect(url_for("core.dashboard"))
        flash(_("Your email address is already confirmed. Please sign in."), "info")
        return redirect(url_for("accounts.login"))
    login_user(user)
    record_login(user)
    db.session.commit()
    flash(_("Thank you, your email address is confirmed. Welcome to Roadshow!"), "success")
    event = services.signup_event(db.session, request.args.get("event"))
    if event is not None and "applications.form" in current_app.view_functions:
        return redirect(url_for("applications.form", event_slug=event.slug))
    return redirect(url_for("core.dashboard"))


@bp.route("/verify/resend", methods=["GET", "POST"])
@limiter.limit(_account_limit, methods=["POST"])
@public
def resend_verification() -> str | Response:
    form = EmailOnlyForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        services.resend_verification(db.session, form.email.data or "", **link_settings())
        db.session.commit()
        flash(_("If an account with this address still waits for confirmation, we sent a new link. Please check your inbox (and the spam folder)."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/resend.html", form=form)


# --- password reset and change --------------------------------------------------------------

@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_account_limit, methods=["POST"])
@public
def forgot_password() -> str | Response:
    form = EmailOnlyForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        services.request_password_reset(db.session, form.email.data or "", **link_settings())
        db.session.commit()
        flash(_("If an account exists for this address, we sent a link to choose a new password. The link works for two hours."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> str | Response | tuple[str, int]:
    secret_key = current_app.config["SECRET_KEY"]
    try:
        user = services.user_for_reset(db.session, token, secret_key=secret_key)
    except LinkError as problem:
        return link_problem(problem.reason, "reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(db.session, token, form.password.data or "", secret_key=secret_key)
        except AccountError as error:
            show_error(form, error, "password")
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            services.announce_signed_out(user.id)  # their open live rooms close too
            flash(_("Your new password is set. Other devices were signed out; please sign in."), "success")
            return redirect(url_for("accounts.login", next=None))
    return render_template("accounts/reset.html", form=form, user=user)


@bp.route("/profile/password", methods=["POST"])
@password_guesses(signed_in_account)
@requires("account.use")
def change_password() -> str | Response:
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data or "", form.password.data or "")
        except AccountError as error:
            show_error(form, error, "password")
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session under the new token
            flash(_("Your password is changed. Other devices were signed out."), "success")
            return redirect(url_for("accounts.profile"))
    profile_form = ProfileForm(obj=current_user, formdata=None)
    profile_form.timezone.choices = zone_choices_for(current_user.timezone)
    return render_template("accounts/profile.html", form=profile_form, password_form=form,
                           open_password=True)

