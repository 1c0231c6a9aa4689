"""The people pages: an office's people (``/o/<org>/people``: its organizers, whoever holds a role
in one of its events, whoever applied to one), a person's roles there and their account, and an
event's people (``/e/<event>/people``: its organizers, judges and recruiters, inviting and
revoking)."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.accounts import directory, services
from roadshow.accounts.blueprint import EVENT, ORG, bp, link_settings, safe_next, show_error
from roadshow.accounts.forms import InvitationForm, choices
from roadshow.accounts.invitation_views import district_choices, district_id, invitation_rows
from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.accounts.services import AccountError
from roadshow.extensions import db

PER_PAGE = 50


@bp.route(f"{ORG}/people")
@requires("organizer.manage")
def people() -> str:
    organisation = g.organisation
    role_value = request.args.get("role", "")
    role = Role(role_value) if role_value in {r.value for r in directory.ORGANISATION_ROLES} else None
    query = request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=int) or 1
    users, total = directory.people(db.session, organisation_id=organisation.id, role=role,
                                    query=query, page=page, per_page=PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("accounts/people.html", users=users, total=total, page=page,
                           pages=pages, role=role, query=query, organisation=organisation,
                           holdings=directory.holdings(db.session, organisation.id,
                                                       [u.id for u in users]),
                           counts=directory.role_counts(db.session, organisation.id),
                           roles=list(directory.ORGANISATION_ROLES))


def _person_or_404(user_id: int) -> User:
    """A person of the URL's organisation; anyone else answers 404."""
    user = db.session.get(User, user_id)
    if user is None or not directory.is_person_of(db.session, g.organisation.id, user.id):
        abort(404)
    return user


@bp.route(f"{ORG}/people/<int:user_id>")
@requires("organizer.manage")
def person(user_id: int) -> str:
    user = _person_or_404(user_id)
    return render_template("accounts/person.html", user=user, organisation=g.organisation,
                           holdings=directory.holdings(db.session, g.organisation.id, [user.id]).of(user.id))


@bp.route(f"{ORG}/people/<int:user_id>/deactivate", methods=["POST"])
@requires("organizer.manage")
def deactivate(user_id: int) -> Response:
    return _set_active(user_id, False)


@bp.route(f"{ORG}/people/<int:user_id>/reactivate", methods=["POST"])
@requires("organizer.manage")
def reactivate(user_id: int) -> Response:
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool) -> Response:
    user = _person_or_404(user_id)
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


@bp.route(f"{ORG}/people/<int:user_id>/resend-confirmation", methods=["POST"])
@requires("organizer.manage")
def resend_confirmation(user_id: int) -> Response:
    user = _person_or_404(user_id)
    if services.resend_verification(db.session, user.email, **link_settings()):
        db.session.commit()
        flash(_("A new confirmation link was sent to %(email)s.", email=user.email), "success")
    else:
        flash(_("This address is already confirmed."), "info")
    return redirect(url_for("accounts.person", user_id=user.id))


# --- an event's people ------------------------------------------------------------------------

def _event_form() -> InvitationForm:
    event = g.event
    form = InvitationForm()
    form.role.choices = choices((r.value, r.label) for r in services.EVENT_ROLES)
    form.district.choices = district_choices(event.organisation_id, _event_district_ids())
    return form


def _event_district_ids() -> set[int] | None:
    """The districts a recruiter of the event may work for: the event's own (for a joint event,
    from several offices); every district of its office when the event names none."""
    ids = {district.id for district in g.event.districts}
    return ids or None


@bp.route(f"{EVENT}/people", methods=["GET", "POST"])
@requires("organizer.manage")
def event_people() -> str | Response:
    """The event's organizers, judges and recruiters, its pending invitations; inviting someone
    to the event (a new or an existing account) and revoking a role."""
    event = g.event
    form = _event_form()
    if request.method == "GET":
        form.locale.data = "zh_Hans_CN"
        form.role.data = request.args.get("role", Role.JUDGE.value)
    if request.method == "POST" and request.form.get("action") == "revoke":
        return _revoke(request.form.get("role_id", ""))
    if form.validate_on_submit():
        districts = _event_district_ids()
        if districts is None:
            districts = {i for i, _name in services.district_options(db.session, event.organisation_id)}
        try:
            invitation = services.invite(
                db.session, current_user, email=form.email.data or "", name=form.name.data or "",
                role=Role(form.role.data), district_id=district_id(form.district.data),
                locale=form.locale.data, max_age_days=current_app.config["INVITATION_MAX_AGE_DAYS"],
                event_id=event.id, district_ids=frozenset(districts), **link_settings(),
            )
        except AccountError as error:
            show_error(form, error, "email")
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("accounts.event_people"))
    pending = invitation_rows(services.invitations(db.session, event_ids=[event.id]),
                              services.InvitationStatus.PENDING.value)
    return render_template("accounts/event_people.html", event=event, form=form,
                           staff=directory.event_staff(db.session, event.id),
                           districts={d.id: d for d in event.districts}, pending=pending)


def _revoke(value: str) -> Response:
    event = g.event
    row = directory.event_role_row(db.session, event.id, int(value)) if value.isdigit() else None
    if row is None:
        abort(404)
    user = db.session.get(User, row[0])
    try:
        services.revoke_event_role(db.session, current_user, event.id, int(value), user)
    except AccountError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("%(name)s no longer holds the role of %(role)s in this event.",
                name=user.display_name if user else "", role=row[1].label), "success")
    return redirect(url_for("accounts.event_people"))
