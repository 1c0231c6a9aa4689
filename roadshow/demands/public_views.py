"""The public demand catalogue of an office (issue 15), no sign-in: its published rounds in
Chinese and English side by side, filtered by district, kind and field, with the Excel and PDF
downloads; and, for an event's public page, the demands attached to its call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from roadshow.access import public
from roadshow.demands import catalogue, download_cache, resources
from roadshow.demands.blueprint import bp
from roadshow.demands.catalogue_views import (
    attachment,
    field_ids,
    int_arg,
    language_arg,
    office_districts,
    office_industries,
    paged,
    read_filters,
    rendered,
    round_or_404,
    round_title,
)
from roadshow.demands.models import Demand, DemandRound, RoundStatus
from roadshow.events.loaders import this_organisation
from roadshow.events.scope import O
from roadshow.extensions import db, limiter


def _published_rounds(organisation_id: int) -> list[DemandRound]:
    return list(db.session.scalars(select(DemandRound).where(
        DemandRound.organisation_id == organisation_id,
        DemandRound.status == RoundStatus.PUBLISHED).order_by(
            DemandRound.published_at.desc(), DemandRound.id.desc())))


def _public_round_or_404(round_id: int) -> DemandRound:
    round_ = round_or_404(round_id)
    if not catalogue.visible_to_public(round_):
        abort(404)
    return round_


@bp.route(f"{O}/catalogue", endpoint="catalogue")
@public
def catalogue_page() -> Any:
    organisation = this_organisation()
    rounds = _published_rounds(organisation.id)
    chosen = int_arg("round")
    round_ = next((r for r in rounds if r.id == chosen), rounds[0] if rounds else None)
    districts, industries = office_districts(), office_industries()
    filters = read_filters(districts, industries)
    page = None
    if round_ is not None:
        query = catalogue.catalogue_query(
            round_, district_id=filters.district_id, kind=filters.kind,
            industry_ids=field_ids(filters.industry_id, industries))
        page = paged(query, filters.page)
    return render_template("demands/catalogue.html", organisation=organisation, rounds=rounds,
                           round=round_, page=page, filters=filters, districts=districts,
                           industries=industries)


@bp.route(f"{O}/catalogue/<int:round_id>.<fmt>")
@public
@limiter.limit("60 per hour")  # a PDF of a whole round takes seconds to build
def catalogue_export(round_id: int, fmt: str) -> Response:
    """The published catalogue (with the page's filters) as Excel or PDF: ``?lang=zh|en``,
    else the reader's language."""
    round_ = _public_round_or_404(round_id)
    if fmt not in ("xlsx", "pdf"):
        abort(404)
    districts, industries = office_districts(), office_industries()
    filters = read_filters(districts, industries)
    query = catalogue.catalogue_query(round_, district_id=filters.district_id, kind=filters.kind,
                                      industry_ids=field_ids(filters.industry_id, industries))
    language = language_arg()
    title = round_title(round_, language)
    # drawn once per version of what it shows (download_cache), then read from its file
    version = download_cache.fingerprint((
        title, round_.published_at,
        [(d.id, d.name_zh, d.name_en) for d in districts],
        [(i.id, i.name_zh, i.name_en) for i in industries],
        [tuple(row) for row in db.session.execute(
            query.with_only_columns(Demand.id, Demand.updated_at))]))
    stem = "-".join(str(part) for part in (
        "round", round_.id, language, filters.district_id or "all", filters.kind or "all",
        filters.industry_id or "all"))
    body, _kept = download_cache.fetch(
        Path(current_app.instance_path) / "cache" / "catalogue" / str(round_.organisation_id),
        stem, version, fmt, lambda: rendered(list(db.session.scalars(query.options(
            selectinload(Demand.district), selectinload(Demand.industry)))), fmt, title, language))
    return attachment(body, fmt, f"{this_organisation().slug}-catalogue-{round_.id}", language)


def event_call_demands(event: Any) -> list[Demand]:
    """For an event's public page: the published demands attached to its call."""
    if event is None:
        return []
    return list(db.session.scalars(resources.event_demands(event.id).options(
        selectinload(Demand.district), selectinload(Demand.industry))))


def office_has_catalogue(organisation_id: int) -> bool:
    """For public pages: whether the office has published a catalogue to link to."""
    return db.session.scalar(select(DemandRound.id).where(
        DemandRound.organisation_id == organisation_id,
        DemandRound.status == RoundStatus.PUBLISHED).limit(1)) is not None


bp.add_app_template_global(event_call_demands, "event_call_demands")
bp.add_app_template_global(office_has_catalogue, "office_has_demand_catalogue")
