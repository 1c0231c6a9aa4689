"""The pages of offices, alliances and the platform administration (issue 13,
docs/design/many-events.md §2 and §4).

- ``/admin/organisations``: every office; the administrator creates one (admin_create) and may
  join one as its organizer to look into it (admin_join, logged).
- ``/admin/alliances``: every alliance; the administrator creates one with its member offices.
- ``/o/<org>/settings``, ``/o/<org>/members``: an office's organizers keep its names, kind and
  zone, and who organises it.
- ``/a/<alliance>/``: the organizers of a member office see the members and every share (who
  shares what, since when, revoked when), share their own office's events, reports or judge pool
  and revoke their own shares.

The office or alliance of the page is loaded by ``roadshow.events.scope`` from the path
(``g.organisation``, ``g.alliance``) before access is checked.
"""

from __future__ import annotations

from typing import Any

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
from flask_login import current_user
from sqlalchemy import column, select, table
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from roadshow.access import requires
from roadshow.accounts.services import find_user_by_email
from roadshow.accounts.zones import zone_choices
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.i18n import is_chinese
from roadshow.organisations import services
from roadshow.organisations.forms import (
    AllianceForm,
    AllianceMembersForm,
    MemberForm,
    OrganisationForm,
    OrganisationSettingsForm,
    ShareForm,
)
from roadshow.organisations.models import (
    Alliance,
    AllianceShare,
    Organisation,
    OrganisationKind,
    OrganisationMember,
)

bp = Blueprint("organisations", __name__)

#: path prefixes of an office's and an alliance's pages (as in roadshow.events.scope, a later
#: layer)
O = "/o/<org_slug>"  # noqa: E741 - the design's name for the office prefix
A = "/a/<alliance_slug>"

# events sit in a later layer: the share form lists an office's events from the table
_events = table("events", column("id"), column("organisation_id"), column("title_zh"),
                column("title_en"))


def _choices(pairs: Any) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _show_error(form: Any, error: services.OrganisationError, fallback: str) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        field = getattr(form, fallback)
    field.errors = [*field.errors, str(error)]


def _fill_office_choices(form: OrganisationSettingsForm, keep_zone: str | None = None) -> None:
    form.kind.choices = _choices(services.kind_labels().items())
    form.timezone.choices = _choices(zone_choices(utcnow(), keep_zone))


def _office_data(form: OrganisationSettingsForm, slug: str) -> services.OrganisationData:
    return services.OrganisationData(slug=slug, kind=form.kind.data or "",
                                     name_zh=form.name_zh.data or "",
                                     name_en=form.name_en.data or "",
                                     timezone=form.timezone.data or "")


def _named(row: Any) -> str:
    first, second = ("zh", "en") if is_chinese() else ("en", "zh")
    return getattr(row, f"title_{first}") or getattr(row, f"title_{second}")


def _organisation_home(organisation: Organisation) -> str | None:
    """The office's home page (the reports' organizer home), once it exists."""
    if "reports.organisation_home" not in current_app.view_functions:
        return None
    return url_for("reports.organisation_home", org_slug=organisation.slug)


@bp.app_template_global("my_organisations")
def my_organisations() -> list[Organisation]:
    """The offices the signed-in user organises (the navigation lists them)."""
    if not current_user.is_authenticated:
        return []
    cached = g.get("my_organisations")
    if cached is None:
        cached = g.my_organisations = services.organisations_of(db.session, current_user)
    return cached


@bp.app_template_global("my_alliances")
def my_alliances(organisation: Organisation) -> list[Any]:
    """The alliances of one of the user's offices (the navigation links their pages)."""
    cache: dict[int, list[Any]] = g.setdefault("alliances_of_office", {})
    if organisation.id not in cache:
        cache[organisation.id] = services.alliances_of(db.session, organisation)
    return cache[organisation.id]


@bp.app_template_global("organisation_home_url")
def organisation_home_url(organisation: Organisation) -> str:
    return _organisation_home(organisation) or url_for("organisations.members",
                                                       org_slug=organisation.slug)


# --- the platform administrator ----------------------------------------------------------------

def _admin_list_page(form: OrganisationForm) -> str:
    organisations = services.all_organisations(db.session)
    mine = {o.id for o in services.organisations_of(db.session, current_user)}
    return render_template("organisations/admin_list.html", form=form,
                           organisations=organisations, mine=mine,
                           counts=services.counts_by_organisation(db.session),
                           kinds=services.kind_labels())


def _new_office_form() -> OrganisationForm:
    form = OrganisationForm()
    if not form.is_submitted():
        form.kind.data = OrganisationKind.CITY_OFFICE.value
        form.timezone.data = current_app.config.get("DEFAULT_TIMEZONE", "Asia/Shanghai")
    _fill_office_choices(form)
    return form


@bp.route("/admin/organisations")
@requires("platform.manage")
def admin_list() -> str:
    return _admin_list_page(_new_office_form())


@bp.route("/admin/organisations", methods=["POST"])
@requires("platform.manage")
def admin_create() -> str | Response:
    form = _new_office_form()
    if form.validate_on_submit():
        first = None
        if form.organizer_email.data:
            first = find_user_by_email(db.session, form.organizer_email.data)
            if first is None:
                form.organizer_email.errors = [_(
                    "No account uses this address. Create the office first, then invite the "
                    "organizer from its people page.")]
                return _admin_list_page(form)
        try:
            organisation = services.create_organisation(
                db.session, current_user, _office_data(form, form.slug.data or ""))
            if first is not None:
                services.add_member(db.session, current_user, organisation, first)
        except services.OrganisationError as error:
            db.session.rollback()
            _show_error(form, error, "slug")
        else:
            db.session.commit()
            flash(_("The office %(name)s is created.", name=organisation.name_zh
                    if is_chinese() else organisation.name_en), "success")
            return redirect(url_for("organisations.admin_list"))
    return _admin_list_page(form)


@bp.route("/admin/organisations/<int:organisation_id>/join", methods=["POST"])
@requires("platform.manage")
def admin_join(organisation_id: int) -> Response:
    """The administrator organises the office from now on, to look into it (logged)."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    try:
        services.add_member(db.session, current_user, organisation, current_user)
    except services.OrganisationError as error:
        flash(str(error), "warning")
        return redirect(url_for("organisations.admin_list"))
    db.session.commit()
    flash(_("You are now an organizer of %(name)s.", name=organisation.name_zh
            if is_chinese() else organisation.name_en), "success")
    return redirect(organisation_home_url(organisation))


@bp.route("/admin/alliances", methods=["GET", "POST"])
@requires("platform.manage")
def admin_alliances() -> str | Response:
    """Every alliance with its members (each editable), and a new alliance; the two forms post
    here, told apart by the members form's ``alliance_id``."""
    organisations = services.all_organisations(db.session)
    office_choices = _choices((o.id, f"{o.name_zh} · {o.name_en}") for o in organisations)
    if request.form.get("alliance_id"):
        return _change_alliance_members(office_choices)
    form = AllianceForm()
    form.organisations.choices = office_choices
    if form.validate_on_submit():
        try:
            alliance = services.create_alliance(db.session, current_user, services.AllianceData(
                slug=form.slug.data or "", name_zh=form.name_zh.data or "",
                name_en=form.name_en.data or "", organisation_ids=list(form.organisations.data)))
        except services.OrganisationError as error:
            db.session.rollback()
            _show_error(form, error, "slug")
        else:
            db.session.commit()
            flash(_("The alliance %(name)s is created.", name=alliance.name_zh
                    if is_chinese() else alliance.name_en), "success")
            return redirect(url_for("organisations.admin_alliances"))
    return _alliances_page(form, office_choices)


def _alliances_page(form: AllianceForm, office_choices: list[SelectChoice],
                    failed: tuple[int, AllianceMembersForm] | None = None) -> str:
    alliances = services.all_alliances(db.session)
    members = {a.id: services.current_members(db.session, a) for a in alliances}
    member_forms = {}
    for alliance in alliances:
        if failed is not None and failed[0] == alliance.id:
            member_forms[alliance.id] = failed[1]
            continue
        member_form = AllianceMembersForm(formdata=None, prefix=f"a{alliance.id}",
                                          members=[o.id for o in members[alliance.id]])
        member_form.members.choices = office_choices
        member_forms[alliance.id] = member_form
    return render_template("organisations/admin_alliances.html", form=form, alliances=alliances,
                           members=members, member_forms=member_forms)


def _change_alliance_members(office_choices: list[SelectChoice]) -> str | Response:
    sent = request.form.get("alliance_id", "")
    alliance = db.session.get(Alliance, int(sent)) if sent.isdigit() else None
    if alliance is None:
        abort(404)
    members_form = AllianceMembersForm(prefix=f"a{alliance.id}")
    members_form.members.choices = office_choices
    if members_form.validate_on_submit():
        try:
            services.set_alliance_members(db.session, current_user, alliance,
                                          list(members_form.members.data or []))
        except services.OrganisationError as error:
            db.session.rollback()
            members_form.members.errors = [*members_form.members.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The members of %(name)s are saved.", name=alliance.name_zh
                    if is_chinese() else alliance.name_en), "success")
            return redirect(url_for("organisations.admin_alliances"))
    form = AllianceForm(formdata=None)
    form.organisations.choices = office_choices
    return _alliances_page(form, office_choices, failed=(alliance.id, members_form))


# --- an office ---------------------------------------------------------------------------------

@bp.route(f"{O}/settings", methods=["GET", "POST"])
@requires("organisations.manage")
def settings() -> str | Response:
    organisation: Organisation = g.organisation
    form = OrganisationSettingsForm(obj=organisation)
    if not form.is_submitted():
        form.kind.data = organisation.kind.value
    _fill_office_choices(form, organisation.timezone)
    if form.validate_on_submit():
        try:
            services.update_organisation(db.session, current_user, organisation,
                                         _office_data(form, organisation.slug))
        except services.OrganisationError as error:
            db.session.rollback()
            _show_error(form, error, "name_zh")
        else:
            db.session.commit()
            flash(_("The office's settings are saved."), "success")
            return redirect(url_for("organisations.settings"))
    return render_template("organisations/settings.html", form=form, organisation=organisation,
                           home=_organisation_home(organisation))


@bp.route(f"{O}/members", methods=["GET", "POST"])
@requires("organisations.manage")
def members() -> str | Response:
    organisation: Organisation = g.organisation
    form = MemberForm()
    if form.validate_on_submit():
        try:
            member = services.add_member_by_email(db.session, current_user, organisation,
                                                  form.email.data or "")
        except services.OrganisationError as error:
            db.session.rollback()
            _show_error(form, error, "email")
        else:
            db.session.commit()
            flash(_("%(name)s now organises the office's events.",
                    name=member.user.display_name), "success")
            return redirect(url_for("organisations.members"))
    return render_template("organisations/members.html", form=form, organisation=organisation,
                           members=services.members_of(db.session, organisation),
                           home=_organisation_home(organisation))


@bp.route(f"{O}/members/<int:member_id>/remove", methods=["POST"])
@requires("organisations.manage")
def remove_member(member_id: int) -> Response:
    organisation: Organisation = g.organisation
    member = db.session.get(OrganisationMember, member_id)
    if member is None or member.organisation_id != organisation.id:
        abort(404)
    try:
        services.remove_member(db.session, current_user, member)
    except services.OrganisationError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("The organizer is removed from the office."), "success")
    return redirect(url_for("organisations.members"))


# --- an alliance -------------------------------------------------------------------------------

def _my_member_offices() -> list[Organisation]:
    """The alliance's current member offices that the signed-in user organises."""
    mine = {o.id for o in my_organisations()}
    return [o for o in services.current_members(db.session, g.alliance) if o.id in mine]


def _share_form(offices: list[Organisation]) -> ShareForm:
    form = ShareForm()
    form.kind.choices = _choices(services.share_labels().items())
    rows = db.session.execute(
        select(_events.c.id, _events.c.title_zh, _events.c.title_en, _events.c.organisation_id)
        .where(_events.c.organisation_id.in_([o.id for o in offices]))
        .order_by(_events.c.id.desc())).all()
    office_names = {o.id: o.name_zh if is_chinese() else o.name_en for o in offices}
    form.event.choices = _choices(
        [("", "—")] + [(str(row.id), _("%(event)s (%(office)s)", event=_named(row),
                                         office=office_names[row.organisation_id]))
                       for row in rows])
    return form


def _alliance_page(form: ShareForm, offices: list[Organisation]) -> str:
    alliance = g.alliance
    return render_template("organisations/alliance.html", alliance=alliance, form=form,
                           members=services.current_members(db.session, alliance),
                           shares=services.shares_of(db.session, alliance),
                           mine={o.id for o in offices}, kinds=services.share_labels())


@bp.route(f"{A}/")
@requires("organisations.manage")
def alliance() -> str:
    offices = _my_member_offices()
    return _alliance_page(_share_form(offices), offices)


@bp.route(f"{A}/shares", methods=["POST"])
@requires("organisations.manage")
def share() -> str | Response:
    offices = _my_member_offices()
    form = _share_form(offices)
    if form.validate_on_submit():
        event_id = int(form.event.data) if form.event.data else None
        office = _sharing_office(offices, event_id)
        event = services.event_ref(db.session, event_id) if event_id is not None else None
        try:
            if office is None:
                raise services.OrganisationError(
                    _("You do not organise a member office of this alliance."))
            services.share(db.session, current_user, g.alliance, office, form.kind.data or "",
                           event)
        except services.OrganisationError as error:
            db.session.rollback()
            _show_error(form, error, "kind")
        else:
            db.session.commit()
            flash(_("Shared with the alliance."), "success")
            return redirect(url_for("organisations.alliance"))
    return _alliance_page(form, offices)


def _sharing_office(offices: list[Organisation], event_id: int | None) -> Organisation | None:
    """The office that shares: the event's (when one of the user's), else their first."""
    if event_id is not None:
        owner = db.session.scalar(select(_events.c.organisation_id)
                                  .where(_events.c.id == event_id))
        return next((o for o in offices if o.id == owner), None)
    return offices[0] if offices else None


@bp.route(f"{A}/shares/<int:share_id>/revoke", methods=["POST"])
@requires("organisations.manage")
def revoke_share(share_id: int) -> Response:
    row = db.session.get(AllianceShare, share_id)
    if row is None or row.alliance_id != g.alliance.id:
        abort(404)
    if row.organisation_id not in {o.id for o in _my_member_offices()}:
        abort(403)
    try:
        services.revoke_share(db.session, current_user, row)
    except services.OrganisationError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("The share is revoked."), "success")
    return redirect(url_for("organisations.alliance"))

