"""District pages: organizers keep the list; recruiters and organizers read each district."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import permission_of, requires, user_may
from roadshow.accounts.forms import choices
from roadshow.accounts.roles import Role
from roadshow.districts import services
from roadshow.districts.forms import DistrictForm
from roadshow.districts.models import District
from roadshow.extensions import db

bp = Blueprint("districts", __name__, url_prefix="/districts")


def _district_or_404(district_id: int) -> District:
    district = db.session.get(District, district_id)
    if district is None:
        abort(404)
    return district


def _form(district: District | None = None) -> DistrictForm:
    form = DistrictForm(obj=district)
    form.kind.choices = choices(services.kind_labels().items())
    return form


def _data(form: DistrictForm) -> services.DistrictData:
    return services.DistrictData(**{name: getattr(form, name).data or "" for name in (
        "code", "name_zh", "name_en", "kind", "industries_zh", "industries_en", "offer_zh",
        "offer_en")})


def _show_error(form: DistrictForm, error: services.DistrictError) -> None:
    field = getattr(form, error.field, None) or form.code
    field.errors = [*field.errors, str(error)]


@bp.route("/")
@requires("districts.view")
def index() -> str:
    return render_template("districts/index.html",
                           districts=services.all_districts(db.session),
                           recruiters=services.recruiter_counts(db.session),
                           kinds=services.kind_labels())


def _related_links(district: District) -> list[tuple[str, str]]:
    """The pages elsewhere about this district's work that the viewer's role may open.

    The organizer's pages cover every district (the list of applications and the intents are
    filtered to this one); a recruiter's show their own district whichever district they pass,
    so they are offered on their own district's page only.
    """
    organizer = current_user.role == Role.ORGANIZER
    own = current_user.role == Role.RECRUITER and current_user.district_id == district.id
    candidates = [
        ("applications.manage", {"district": district.id},
         _("Applications interested in this district"), organizer),
        ("review.docking_overview", {}, _("District interest"), organizer),
        ("review.docking", {}, _("District docking"), own),
        ("live.docking_board", {}, _("Docking board"), organizer or own),
        ("signing.board", {"district_id": district.id} if organizer else {}, _("Intents"), organizer or own),
        ("live.index", {}, _("Live roadshow"), organizer or own),
    ]
    links = []
    for endpoint, args, label, relevant in candidates:
        if not relevant or endpoint not in current_app.view_functions:
            continue
        permission = permission_of(endpoint)
        if permission is not None and user_may(permission):
            links.append((label, url_for(endpoint, **args)))
    return links


@bp.route("/<int:district_id>")
@requires("districts.view")
def show(district_id: int) -> str:
    district = _district_or_404(district_id)
    return render_template("districts/show.html", district=district,
                           recruiters=services.recruiters_of(db.session, district),
                           kinds=services.kind_labels(), related=_related_links(district))


@bp.route("/new", methods=["GET", "POST"])
@requires("districts.manage")
def create() -> str | Response:
    form = _form()
    if form.validate_on_submit():
        try:
            district = services.create_district(db.session, current_user, _data(form))
        except services.DistrictError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The district is added."), "success")
            return redirect(url_for("districts.show", district_id=district.id))
    return render_template("districts/form.html", form=form, district=None)


@bp.route("/<int:district_id>/edit", methods=["GET", "POST"])
@requires("districts.manage")
def edit(district_id: int) -> str | Response:
    district = _district_or_404(district_id)
    form = _form(district)
    if form.validate_on_submit():
        try:
            services.update_district(db.session, current_user, district, _data(form))
        except services.DistrictError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The district is saved."), "success")
            return redirect(url_for("districts.show", district_id=district.id))
    return render_template("districts/form.html", form=form, district=district)


@bp.route("/<int:district_id>/delete", methods=["POST"])
@requires("districts.manage")
def delete(district_id: int) -> Response:
    district = _district_or_404(district_id)
    try:
        services.delete_district(db.session, current_user, district)
    except services.DistrictError as error:
        flash(str(error), "warning")
        return redirect(url_for("districts.show", district_id=district.id))
    db.session.commit()
    flash(_("The district is deleted."), "success")
    return redirect(url_for("districts.index", _anchor=request.form.get("anchor") or None))
