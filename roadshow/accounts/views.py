"""Sign-in, sign-out and profile. Thin: load, check, call a service, commit once."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadshow.access import public, requires
from roadshow.accounts import services, signals
from roadshow.accounts.forms import (
    AcceptInvitationForm,
    AccessForm,
    ChangePasswordForm,
    EmailOnlyForm,
    InvitationForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    choices,
)
from roadshow.accounts.models import Invitation, User
from roadshow.accounts.roles import Role
from roadshow.accounts.services import AccountError, authenticate, district_options, record_login
from roadshow.accounts.throttle import password_guesses, signed_in_account, typed_account
from roadshow.accounts.tokens import LinkError
from roadshow.accounts.zones import zone_choices
from roadshow.db import utcnow
from roadshow.extensions import db, limiter
from roadshow.i18n import current_locale_code, is_valid_timezone, normalise_locale

bp = Blueprint("accounts", __name__)


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
    form.timezone.choices = _zone_choices(current_user.timezone)
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


def _zone_choices(keep: str | None = None) -> list[SelectChoice]:
    """Canonical zones with their offset today. ``keep`` (a user's older choice) and a valid zone
    sent by the browser (some send old names such as Asia/Calcutta) stay in the list."""
    pairs = zone_choices(utcnow(), keep)
    sent = request.form.get("timezone") or request.cookies.get("tz")
    if is_valid_timezone(sent) and sent not in {zone for zone, _label in pairs}:
        pairs.append((sent, sent.replace("_", " ")))  # type: ignore[union-attr]
    return choices(pairs)


def _suggested_zone() -> str:
    cookie = request.cookies.get("tz")
    return cookie if is_valid_timezone(cookie) else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _link_settings() -> dict[str, str]:
    return {"secret_key": current_app.config["SECRET_KEY"],
            "base_url": current_app.config["PUBLIC_BASE_URL"]}


def _show_error(form: Any, error: AccountError, default: str) -> None:
    """Put a service's refusal next to the field it concerns; the form keeps what was typed."""
    field = getattr(form, error.field, None) if error.field else None
    field = field if field is not None else getattr(form, default)
    field.errors = [*field.errors, str(error)]


def _link_problem(reason: str, kind: str) -> tuple[str, int]:
    status = 400 if reason in ("invalid", "replaced") else 410
    return render_template("accounts/link_problem.html", reason=reason, kind=kind), status


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
    form.timezone.choices = _zone_choices()
    if request.method == "GET":
        form.locale.data = normalise_locale(current_locale_code()) or "en"
        form.timezone.data = _suggested_zone()
    if form.validate_on_submit():
        try:
            services.register_applicant(
                db.session, email=form.email.data or "", password=form.password.data or "",
                name=form.name.data or "", name_native=(form.name_native.data or "").strip() or None,
                locale=form.locale.data, timezone=form.timezone.data, **_link_settings(),
            )
        except AccountError as error:
            _show_error(form, error, "password")
            db.session.rollback()
        else:
            db.session.commit()
            # the same page whether the address was new or already had an account (then its
            # owner was mailed instead): the form does not tell who has an account
            email = services.normalise_email(form.email.data or "")
            return render_template("accounts/check_email.html", email=email,
                                   resend_form=EmailOnlyForm(email=email))
    return render_template("accounts/register.html", form=form,
                           zone_chosen=request.method == "POST")


@bp.route("/verify/<token>")
@public
def verify(token: str) -> str | Response | tuple[str, int]:
    try:
        user, confirmed_now = services.verify_email(db.session, token,
                                                    secret_key=current_app.config["SECRET_KEY"])
    except LinkError as problem:
        return _link_problem(problem.reason, "verify")
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
    return redirect(url_for("core.dashboard"))


@bp.route("/verify/resend", methods=["GET", "POST"])
@limiter.limit(_account_limit, methods=["POST"])
@public
def resend_verification() -> str | Response:
    form = EmailOnlyForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        services.resend_verification(db.session, form.email.data or "", **_link_settings())
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
        services.request_password_reset(db.session, form.email.data or "", **_link_settings())
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
        return _link_problem(problem.reason, "reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(db.session, token, form.password.data or "", secret_key=secret_key)
        except AccountError as error:
            _show_error(form, error, "password")
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
            _show_error(form, error, "password")
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session under the new token
            flash(_("Your password is changed. Other devices were signed out."), "success")
            return redirect(url_for("accounts.profile"))
    profile_form = ProfileForm(obj=current_user, formdata=None)
    profile_form.timezone.choices = _zone_choices(current_user.timezone)
    return render_template("accounts/profile.html", form=profile_form, password_form=form,
                           open_password=True)


# --- invitations ----------------------------------------------------------------------------

def _district_choices() -> list[SelectChoice]:
    return choices([("", _("(none)"))] + [(str(district_id), name) for district_id, name
                                           in district_options(db.session)])


def _district_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    config = current_app.config
    try:
        invitation = services.open_invitation(db.session, token, secret_key=config["SECRET_KEY"],
                                              max_age_days=config["INVITATION_MAX_AGE_DAYS"])
    except LinkError as problem:
        return _link_problem(problem.reason, "invitation")
    form = AcceptInvitationForm()
    form.timezone.choices = _zone_choices()
    if request.method == "GET":
        form.name.data = invitation.name
        form.locale.data = invitation.locale
        form.timezone.data = _suggested_zone()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(
                db.session, invitation, name=form.name.data or "",
                name_native=(form.name_native.data or "").strip() or None,
                password=form.password.data or "", locale=form.locale.data,
                timezone=form.timezone.data,
            )
        except AccountError as error:
            _show_error(form, error, "password")
            db.session.rollback()
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            login_user(user)
            record_login(user)
            db.session.commit()
            flash(_("Welcome to Roadshow! Your account is ready."), "success")
            return redirect(url_for("core.dashboard"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation,
                           zone_chosen=request.method == "POST")


@bp.route("/organizer/invitations", methods=["GET", "POST"])
@requires("organizer.manage")
def invitations() -> str | Response:
    form = InvitationForm()
    form.role.choices = choices((r.value, r.label) for r in services.INVITABLE_ROLES)
    form.district.choices = _district_choices()
    if request.method == "GET":
        form.locale.data = "zh_Hans_CN"
        form.role.data = request.args.get("role", Role.JUDGE.value)
    if form.validate_on_submit():
        try:
            invitation = services.invite(
                db.session, current_user, email=form.email.data or "", name=form.name.data or "",
                role=Role(form.role.data), district_id=_district_id(form.district.data),
                locale=form.locale.data, max_age_days=current_app.config["INVITATION_MAX_AGE_DAYS"],
                **_link_settings(),
            )
        except AccountError as error:
            _show_error(form, error, "email")
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("accounts.invitations"))
    rows = [(inv, services.invitation_status(inv)) for inv in services.invitations(db.session)]
    status_filter = request.args.get("status", "")
    if status_filter:
        rows = [(inv, st) for inv, st in rows if st.value == status_filter]
    return render_template("accounts/invitations.html", form=form, rows=rows,
                           status_filter=status_filter, statuses=list(services.InvitationStatus))


def _invitation_or_404(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


@bp.route("/organizer/invitations/<int:invitation_id>/resend", methods=["POST"])
@requires("organizer.manage")
def resend_invitation(invitation_id: int) -> Response:
    invitation = _invitation_or_404(invitation_id)
    try:
        services.resend_invitation(db.session, invitation,
                                   max_age_days=current_app.config["INVITATION_MAX_AGE_DAYS"],
                                   **_link_settings())
    except AccountError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("A new invitation link was sent to %(email)s; the previous link no longer works.",
                email=invitation.email), "success")
    return redirect(url_for("accounts.invitations"))


@bp.route("/organizer/invitations/<int:invitation_id>/revoke", methods=["POST"])
@requires("organizer.manage")
def revoke_invitation(invitation_id: int) -> Response:
    invitation = _invitation_or_404(invitation_id)
    try:
        services.revoke_invitation(invitation)
    except AccountError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("The invitation for %(email)s is revoked; its link no longer works.",
                email=invitation.email), "success")
    return redirect(url_for("accounts.invitations"))


# --- people --------------------------------------------------------------------------------

PER_PAGE = 50


@bp.route("/organizer/people")
@requires("organizer.manage")
def people() -> str:
    role_value = request.args.get("role", "")
    role = Role(role_value) if role_value in {r.value for r in Role} else None
    query = request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=int) or 1
    users, total = services.people(db.session, role=role, query=query, page=page,
                                   per_page=PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("accounts/people.html", users=users, total=total, page=page,
                           pages=pages, role=role, query=query,
                           counts=services.role_counts(db.session), roles=list(Role))


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/organizer/people/<int:user_id>", methods=["GET", "POST"])
@requires("organizer.manage")
def person(user_id: int) -> str | Response:
    user = _user_or_404(user_id)
    form = AccessForm()
    form.role.choices = choices((r.value, r.label) for r in Role)
    form.district.choices = _district_choices()
    if request.method == "GET":
        form.role.data = user.role.value
        form.district.data = str(user.district_id or "")
    if form.validate_on_submit():
        try:
            changed = services.change_access(current_user, user, role=Role(form.role.data),
                                             district_id=_district_id(form.district.data))
        except AccountError as error:
            _show_error(form, error, "role")
        else:
            db.session.commit()
            if changed:
                flash(_("The access of %(name)s is changed.", name=user.name), "success")
            return redirect(url_for("accounts.person", user_id=user.id))
    return render_template("accounts/person.html", user=user, form=form)


@bp.route("/organizer/people/<int:user_id>/deactivate", methods=["POST"])
@requires("organizer.manage")
def deactivate(user_id: int) -> Response:
    return _set_active(user_id, False)


@bp.route("/organizer/people/<int:user_id>/reactivate", methods=["POST"])
@requires("organizer.manage")
def reactivate(user_id: int) -> Response:
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool) -> Response:
    user = _user_or_404(user_id)
    try:
        services.set_active(current_user, user, active)
    except AccountError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        if active:
            flash(_("%(name)s can sign in again.", name=user.name), "success")
        else:
            flash(_("%(name)s is deactivated and signed out everywhere.", name=user.name), "success")
    return redirect(safe_next(request.form.get("next")) if request.form.get("next")
                    else url_for("accounts.person", user_id=user.id))


@bp.route("/organizer/people/<int:user_id>/resend-confirmation", methods=["POST"])
@requires("organizer.manage")
def resend_confirmation(user_id: int) -> Response:
    user = _user_or_404(user_id)
    if services.resend_verification(db.session, user.email, **_link_settings()):
        db.session.commit()
        flash(_("A new confirmation link was sent to %(email)s.", email=user.email), "success")
    else:
        flash(_("This address is already confirmed."), "info")
    return redirect(url_for("accounts.person", user_id=user.id))
