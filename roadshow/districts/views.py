"""District pages, per organisation under ``/o/<org_slug>/districts``: its organizers keep the
list; recruiters of its events and its organizers read each district. Codes are unique per
organisation, so ``gulou`` may name a district of two offices."""

from __future__ import annotations

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
from sqlalchemy import select
from werkzeug.wrappers import Response

from roadshow.access import permission_of, requires, user_may
from roadshow.accounts.forms import choices
from roadshow.districts import services
from roadshow.districts.forms import DistrictForm
from roadshow.districts.models import District
from roadshow.extensions import db
from roadshow.i18n import current_locale_code
from roadshow.organisations.models import EventRole, Organisation

#: an organisation's pages: the scope loads ``g.organisation`` from the slug (404 when unknown)
ORG = "/o/<org_slug>"

bp = Blueprint("districts", __name__)


def _organisation() -> Organisation:
    return g.organisation


def _district_or_404(district_id: int) -> District:
    """A district of the URL's organisation; another office's answers 404 like a missing one."""
    district = services.district_of(db.session, _organisation(), district_id)
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


@bp.route(f"{ORG}/districts/")
@requires("districts.view")
def index() -> str:
    organisation = _organisation()
    return render_template("districts/index.html", organisation=organisation,
                           districts=services.all_districts(db.session, organisation.id),
                           recruiters=services.recruiter_counts(db.session, organisation.id),
                           kinds=services.kind_labels())


def _events_of(district: District) -> list[tuple[int, str, str, str]]:
    """``(id, slug, title_zh, title_en)`` of the unarchived events the district takes part in,
    newest first; read through the schema (events build on districts, so this does not import
    them)."""
    tables = District.metadata.tables
    events, links = tables["events"], tables["event_districts"]
    return [tuple(row) for row in db.session.execute(  # type: ignore[misc]
        select(events.c.id, events.c.slug, events.c.title_zh, events.c.title_en)
        .join(links, links.c.event_id == events.c.id)
        .where(links.c.district_id == district.id, events.c.archived_at.is_(None))
        .order_by(events.c.id.desc()))]


def _recruits_for(district: District) -> set[int]:
    """The events in which the signed-in user recruits for this district."""
    return set(db.session.scalars(select(EventRole.event_id).where(
        EventRole.user_id == current_user.id, EventRole.district_id == district.id)))


def _related_links(district: District) -> list[tuple[str, str, str]]:
    """The pages of each event the district takes part in that the viewer may open, as
    ``(event title, label, address)``.

    The organizer's pages cover every district (the list of applications and the intents are
    filtered to this one); a recruiter's show their own district, so they are offered only in
    events where the viewer recruits for this district.
    """
    own_events = _recruits_for(district)
    zh = current_locale_code().startswith("zh")
    links = []
    for event_id, slug, title_zh, title_en in _events_of(district):
        organizer = user_may("applications.view_all", event=event_id)
        own = event_id in own_events
        candidates = [
            ("applications.manage", {"district": district.id},
             _("Applications interested in this district"), organizer),
            ("review.docking_overview", {}, _("District interest"), organizer),
            ("review.docking", {}, _("District docking"), own and not organizer),
            ("live.docking_board", {}, _("Docking board"), organizer or own),
            ("signing.board", {"district_id": district.id} if organizer else {}, _("Intents"),
             organizer or own),
        ]
        title = (title_zh or title_en) if zh else (title_en or title_zh)
        for endpoint, args, label, relevant in candidates:
            if not relevant or endpoint not in current_app.view_functions:
                continue
            permission = permission_of(endpoint)
            if permission is not None and user_may(permission, event=event_id):
                links.append((title, label, url_for(endpoint, event_slug=slug, **args)))
    return links


@bp.route(f"{ORG}/districts/<int:district_id>")
@requires("districts.view")
def show(district_id: int) -> str:
    district = _district_or_404(district_id)
    return render_template("districts/show.html", district=district,
                           recruiters=services.recruiters_of(db.session, district),
                           kinds=services.kind_labels(), related=_related_links(district))


@bp.route(f"{ORG}/districts/new", methods=["GET", "POST"])
@requires("districts.manage")
def create() -> str | Response:
    form = _form()
    if form.validate_on_submit():
        try:
            district = services.create_district(db.session, current_user, _organisation(), _data(form))
        except services.DistrictError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The district is added."), "success")
            return redirect(url_for("districts.show", district_id=district.id))
    return render_template("districts/form.html", form=form, district=None)


@bp.route(f"{ORG}/districts/<int:district_id>/edit", methods=["GET", "POST"])
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


@bp.route(f"{ORG}/districts/<int:district_id>/delete", methods=["POST"])
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
