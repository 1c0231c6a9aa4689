"""The office's partner resources (experts, labs, platforms of universities and institutes, with
their contacts) and the demands an event's call shows (issue 15): organizers only."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from roadshow.access import current_grant, deny, requires
from roadshow.demands import catalogue, resources
from roadshow.demands.blueprint import bp
from roadshow.demands.catalogue_views import (
    field_ids,
    filtered,
    office_districts,
    office_industries,
    paged,
    read_filters,
)
from roadshow.demands.models import Demand, Resource, ResourceKind, demand_events
from roadshow.events.loaders import this_organisation
from roadshow.events.scope import E, O
from roadshow.extensions import db

RESOURCE_KIND_LABELS = {ResourceKind.EXPERT: _l("Expert"), ResourceKind.LAB: _l("Lab"),
                        ResourceKind.PLATFORM: _l("Platform")}


@bp.context_processor
def _resource_labels() -> dict[str, object]:
    return {"resource_kind_labels": RESOURCE_KIND_LABELS}


# --- partner resources --------------------------------------------------------------------

def _resource_or_404(resource_id: int) -> Resource:
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.organisation_id != this_organisation().id:
        abort(404)
    return resource


@bp.route(f"{O}/demands/resources", endpoint="resources")
@requires("demands.manage")
def resources_list() -> Any:
    kind = request.args.get("kind") or ""
    query = select(Resource).where(Resource.organisation_id == this_organisation().id)
    if kind in {k.value for k in ResourceKind}:
        query = query.where(Resource.kind == ResourceKind(kind))
    rows = list(db.session.scalars(query.order_by(Resource.partner_zh, Resource.id)))
    return render_template("demands/resources.html", rows=rows, kind=kind,
                           kinds=list(ResourceKind))


def _resource_form(resource: Resource | None) -> Any:
    values: dict[str, str] = {}
    if resource is not None:
        values = {name: str(getattr(getattr(resource, name), "value", getattr(resource, name)))
                  for name in resources.FIELDS}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            parsed = resources.parse_resource(request.form)
            saved = resources.save_resource(db.session, this_organisation().id, current_grant(),
                                            parsed, resource)
        except catalogue.DemandForbiddenError:
            deny("not an organizer of the office")
        except catalogue.DemandError as error:
            db.session.rollback()
            errors, status = {error.field or "_form": str(error)}, 400
        else:
            db.session.commit()
            flash(_("The resource is saved."), "success")
            return redirect(url_for("demands.resources") + f"#resource-{saved.id}")
    return render_template("demands/resource.html", resource=resource, values=values,
                           errors=errors,
                           kind_options=[(k.value, RESOURCE_KIND_LABELS[k]) for k in ResourceKind]
                           ), status


@bp.route(f"{O}/demands/resources/new", methods=["GET", "POST"])
@requires("demands.manage")
def new_resource() -> Any:
    return _resource_form(None)


@bp.route(f"{O}/demands/resources/<int:resource_id>", methods=["GET", "POST"])
@requires("demands.manage")
def edit_resource(resource_id: int) -> Any:
    return _resource_form(_resource_or_404(resource_id))


@bp.route(f"{O}/demands/resources/<int:resource_id>/delete", methods=["POST"])
@requires("demands.manage")
def delete_resource(resource_id: int) -> Any:
    resource = _resource_or_404(resource_id)
    try:
        resources.delete_resource(db.session, resource, current_grant())
    except catalogue.DemandForbiddenError:
        deny("not an organizer of the office")
    db.session.commit()
    flash(_("The resource is deleted."), "success")
    return redirect(url_for("demands.resources"))


# --- an event's call ----------------------------------------------------------------------

def _attached_ids(event_id: int) -> set[int]:
    return set(db.session.scalars(select(demand_events.c.demand_id).where(
        demand_events.c.event_id == event_id)))


def _call_page(error: str | None = None, status: int = 200) -> Any:
    event = g.event
    districts, industries = office_districts(), office_industries()
    filters = read_filters(districts, industries)
    attached = list(db.session.scalars(resources.event_demands(event.id).options(
        selectinload(Demand.district), selectinload(Demand.industry))))
    query = filtered(select(Demand).where(
        Demand.organisation_id == event.organisation_id, Demand.status.in_(catalogue.PUBLIC),
        Demand.id.not_in(select(demand_events.c.demand_id).where(
            demand_events.c.event_id == event.id))), filters, industries)
    page = paged(query.order_by(Demand.district_id, Demand.id), filters.page)
    return render_template("demands/event_call.html", event=event, attached=attached, page=page,
                           filters=filters, districts=districts, industries=industries,
                           error=error, field_ids=field_ids), status


@bp.route(f"{E}/demands/call", methods=["GET", "POST"])
@requires("demands.manage")
def event_call() -> Any:
    """The published demands of the event's office its call shows: attach and detach them."""
    event = g.event
    if request.method == "POST":
        ids = sorted({int(v) for v in request.form.getlist("demand_ids") if v.isdigit()
                      and len(v) < 10})
        chosen = list(db.session.scalars(select(Demand).where(Demand.id.in_(ids)))) if ids else []
        if not chosen:
            return _call_page(_("Please choose at least one demand."), 400)
        try:
            added = resources.attach(db.session, event, chosen, current_grant())
        except catalogue.DemandForbiddenError:
            deny("not an organizer of the event")
        except catalogue.DemandError as error:
            db.session.rollback()
            return _call_page(str(error), 400)
        db.session.commit()
        flash(_("%(num)d demands are now shown with the call.", num=added), "success")
        return redirect(url_for("demands.event_call"))
    return _call_page()


@bp.route(f"{E}/demands/call/<int:demand_id>/detach", methods=["POST"])
@requires("demands.manage")
def detach_from_call(demand_id: int) -> Any:
    event = g.event
    if demand_id not in _attached_ids(event.id):
        abort(404)
    demand = db.session.get(Demand, demand_id)
    try:
        resources.detach(db.session, event, demand, current_grant())
    except catalogue.DemandForbiddenError:
        deny("not an organizer of the event")
    db.session.commit()
    flash(_("The demand is no longer shown with the call."), "success")
    return redirect(url_for("demands.event_call"))
