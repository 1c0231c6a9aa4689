"""Invitations: an organisation invites its organizers (``/o/<org>/invitations``), an event its
judges, recruiters and event organizers (from the event's people page); whoever opens the link
accepts it, with a new account or signed in with the account the invitation was sent to, and
holds what it names from then on."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadshow.access import public, requires
from roadshow.accounts import directory, services
from roadshow.accounts.blueprint import (
    ORG,
    bp,
    link_problem,
    link_settings,
    safe_next,
    show_error,
    suggested_zone,
    zone_choices_for,
)
from roadshow.accounts.forms import AcceptInvitationForm, InvitationForm, choices
from roadshow.accounts.models import Invitation
from roadshow.accounts.roles import Role
from roadshow.accounts.services import AccountError, district_options, record_login
from roadshow.accounts.tokens import LinkError
from roadshow.extensions import db


def district_choices(organisation_id: int, allowed: set[int] | None = None) -> list[SelectChoice]:
    """The organisation's districts (only ``allowed`` ones when given: an event's own)."""
    return choices([("", _("(none)"))] + [
        (str(district_id), name) for district_id, name in district_options(db.session, organisation_id)
        if allowed is None or district_id in allowed])


def district_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    config = current_app.config
    try:
        invitation = services.open_invitation(db.session, token, secret_key=config["SECRET_KEY"],
                                              max_age_days=config["INVITATION_MAX_AGE_DAYS"])
    except LinkError as problem:
        return link_problem(problem.reason, "invitation")
    target = directory.target_of(db.session, invitation)
    existing = services.find_user_by_email(db.session, invitation.email)
    if existing is not None:
        return _accept_with_account(invitation, existing, target, token)
    form = AcceptInvitationForm()
    form.timezone.choices = zone_choices_for()
    if request.method == "GET":
        form.name.data = invitation.name
        form.locale.data = invitation.locale
        form.timezone.data = suggested_zone()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(
                db.session, invitation, name=form.name.data or "",
                name_native=(form.name_native.data or "").strip() or None,
                password=form.password.data or "", locale=form.locale.data,
                timezone=form.timezone.data,
            )
        except AccountError as error:
            show_error(form, error, "password")
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
                           target=target, zone_chosen=request.method == "POST")


def _accept_with_account(invitation: Invitation, user: object, target: object,
                         token: str) -> str | Response:
    """Someone who already has an account accepts signed in with it: one account for every
    office and event."""
    signed_in_as_invitee = current_user.is_authenticated and current_user.id == user.id  # type: ignore[attr-defined]
    if request.method == "POST" and signed_in_as_invitee:
        try:
            services.accept_as(db.session, invitation, current_user._get_current_object())  # type: ignore[attr-defined]
        except AccountError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("The invitation is accepted: you now hold this role too."), "success")
            return redirect(url_for("core.dashboard"))
    return render_template("accounts/accept_invitation.html", form=None, invitation=invitation,
                           target=target, existing=True, signed_in_as_invitee=signed_in_as_invitee,
                           login_link=url_for("accounts.login", next=url_for(
                               "accounts.accept_invitation", token=token)))


def invitation_rows(invitations: list[Invitation], status_filter: str) -> list[tuple[Invitation, services.InvitationStatus]]:
    rows = [(inv, services.invitation_status(inv)) for inv in invitations]
    if status_filter:
        rows = [(inv, st) for inv, st in rows if st.value == status_filter]
    return rows


@bp.route(f"{ORG}/invitations", methods=["GET", "POST"])
@requires("organizer.manage")
def invitations() -> str | Response:
    """The office's invitations (to the office and to each of its events); inviting another
    organizer of the office. Judges and recruiters are invited from an event's people page."""
    organisation = g.organisation
    form = InvitationForm()
    form.role.choices = choices((r.value, r.label) for r in services.ORGANISATION_ROLES)
    del form.district  # an office's organizers work for no district
    if request.method == "GET":
        form.locale.data = "zh_Hans_CN"
        form.role.data = Role.ORGANIZER.value
    if form.validate_on_submit():
        try:
            invitation = services.invite(
                db.session, current_user, email=form.email.data or "", name=form.name.data or "",
                role=Role(form.role.data), district_id=None, locale=form.locale.data,
                max_age_days=current_app.config["INVITATION_MAX_AGE_DAYS"],
                organisation_id=organisation.id, **link_settings(),
            )
        except AccountError as error:
            show_error(form, error, "email")
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("accounts.invitations"))
    status_filter = request.args.get("status", "")
    found = services.invitations(db.session, organisation_id=organisation.id,
                                 event_ids=directory.event_ids_of(db.session, organisation.id))
    return render_template("accounts/invitations.html", form=form,
                           rows=invitation_rows(found, status_filter),
                           events=directory.event_titles(db.session, organisation.id),
                           organisation=organisation, status_filter=status_filter,
                           statuses=list(services.InvitationStatus))


def _invitation_or_404(invitation_id: int) -> Invitation:
    """An invitation to the URL's organisation or one of its events; another office's: 404."""
    invitation = db.session.get(Invitation, invitation_id)
    organisation_id = g.organisation.id
    if invitation is None or not (
            invitation.organisation_id == organisation_id
            or invitation.event_id in directory.event_ids_of(db.session, organisation_id)):
        abort(404)
    return invitation


@bp.route(f"{ORG}/invitations/<int:invitation_id>/resend", methods=["POST"])
@requires("organizer.manage")
def resend_invitation(invitation_id: int) -> Response:
    invitation = _invitation_or_404(invitation_id)
    try:
        services.resend_invitation(db.session, invitation,
                                   max_age_days=current_app.config["INVITATION_MAX_AGE_DAYS"],
                                   **link_settings())
    except AccountError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("A new invitation link was sent to %(email)s; the previous link no longer works.",
                email=invitation.email), "success")
    return redirect(safe_next(request.form.get("back")) if request.form.get("back")
                    else url_for("accounts.invitations"))


@bp.route(f"{ORG}/invitations/<int:invitation_id>/revoke", methods=["POST"])
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
    return redirect(safe_next(request.form.get("back")) if request.form.get("back")
                    else url_for("accounts.invitations"))

