"""Industry-chain talent maps (issue 15): each chain's nodes upstream to downstream with their
demands, the people and applications that could fill them and the gaps, as a server-drawn chart
(SVG, no script) and an Excel workbook. A district's recruiters see their districts' demands."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template
from flask_babel import gettext as _

from roadshow.access import current_grant, requires
from roadshow.demands import chains, projects
from roadshow.demands.blueprint import bp
from roadshow.events.loaders import this_organisation
from roadshow.events.scope import O
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.spreadsheets import to_xlsx_sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _districts() -> frozenset[int] | None:
    grant = current_grant()
    return None if projects.is_organizer(grant) else frozenset(grant.district_ids)


@bp.route(f"{O}/demands/chains")
@requires("demands.match")
def chain_maps() -> Any:
    organisation = this_organisation()
    maps = chains.chain_maps(db.session, organisation.id, district_ids=_districts())
    return render_template("demands/chain_maps.html", maps=maps, good_match=chains.GOOD_MATCH,
                           organizer=projects.is_organizer(current_grant()))


@bp.route(f"{O}/demands/chains/<int:chain_id>")
@requires("demands.match")
def chain_map(chain_id: int) -> Any:
    organisation = this_organisation()
    found = chains.chain_maps(db.session, organisation.id, district_ids=_districts(),
                              chain_id=chain_id)
    if not found:
        abort(404)
    chain = found[0]
    demands = chains.demands_by_id(db.session, organisation.id, chain.demand_ids)  # all: linked
    return render_template("demands/chain_map.html", chain=chain, demands=demands,
                           good_match=chains.GOOD_MATCH,
                           organizer=projects.is_organizer(current_grant()))


def workbook(maps: list[chains.ChainMap], demands: dict[int, Any]) -> bytes:
    """Two sheets: the nodes' figures, and the gaps (demands with no good match)."""
    nodes = [[localized(_Named(m.name_zh, m.name_en), "name"), n.position + 1,
              localized(_Named(n.name_zh, n.name_en), "name"), n.demands, n.matched, n.gaps,
              n.people, n.applications] for m in maps for n in m.nodes]
    gaps = []
    for m in maps:
        for demand_id in m.gap_ids:
            demand = demands.get(demand_id)
            if demand is None:
                continue
            gaps.append([localized(_Named(m.name_zh, m.name_en), "name"),
                         localized(demand, "title"), localized(demand.district, "name"),
                         localized(demand, "company"), demand.id])
    return to_xlsx_sheets([
        (_("Chain map")[:31], [_("Industry chain"), _("Position"), _("Link of the chain"),
                               _("Demands"), _("With a good match"), _("Gaps"),
                               _("People in the pool"), _("Applications")], nodes),
        (_("Gaps")[:31], [_("Industry chain"), _("Demand"), _("District"), _("Company"),
                          _("Demand number")], gaps),
    ])


class _Named:
    def __init__(self, name_zh: str, name_en: str) -> None:
        self.name_zh, self.name_en = name_zh, name_en


@bp.route(f"{O}/demands/chains.xlsx")
@requires("demands.match")
def chain_maps_workbook() -> Response:
    organisation = this_organisation()
    maps = chains.chain_maps(db.session, organisation.id, district_ids=_districts())
    demands = chains.demands_by_id(db.session, organisation.id,
                                   {d for m in maps for d in m.gap_ids})
    return Response(workbook(maps, demands), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{organisation.slug}-chain-maps.xlsx"',
        "Cache-Control": "private, no-store"})
