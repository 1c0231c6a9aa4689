"""Finding people in an office's pool: the list with its search box and filters, paged, and the
reader's saved searches. Every search is written to the pool's access log.

Thin: read the query, check access, call roadshow.talent.services.search, render.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from roadshow.access import requires, user_may
from roadshow.extensions import db
from roadshow.i18n import is_chinese
from roadshow.talent import divisions
from roadshow.talent.blueprint import O, bp, country_choices
from roadshow.talent.models import Industry
from roadshow.talent.services import search, shares, stations
from roadshow.talent.services.search import Query


def industry_options(organisation_id: int) -> list[tuple[int, str]]:
    """The office's industry chains, each followed by its fields (indented)."""
    chinese = is_chinese()
    rows = list(db.session.scalars(select(Industry).where(
        Industry.organisation_id == organisation_id).order_by(Industry.code)))

    def name(industry: Industry) -> str:
        return industry.name_zh if chinese else industry.name_en

    options = []
    for chain in (row for row in rows if row.parent_id is None):
        options.append((chain.id, name(chain)))
        options += [(row.id, "— " + name(row)) for row in rows if row.parent_id == chain.id]
    return options


def native_options(code: str) -> list[tuple[str, str]]:
    """The provinces, and under the chosen place its chain and children (to narrow down)."""
    chinese = is_chinese()
    options = [(d.code, d.name(chinese)) for d in divisions.provinces()]
    chain = divisions.chain(code) if code else ()
    for depth, division in enumerate(chain):
        children = divisions.children(division.code)
        index = next(i for i, (c, _n) in enumerate(options) if c == division.code) + 1
        options[index:index] = [(d.code, "— " * (depth + 1) + d.name(chinese)) for d in children]
    return options


def filter_choices(organisation: Any, query: Query) -> dict[str, Any]:
    return {
        "countries": country_choices(),
        "industries": industry_options(organisation.id),
        "natives": native_options(query.native),
        "stations": stations.stations_of(db.session, organisation),
    }


@bp.route(f"{O}/talent/people")
@requires("talent.view")
def people() -> str:
    """The office's pool, or (``scope=shared``, organizers) the people partner offices of its
    alliances share with it, each with the office that keeps them."""
    organisation = g.organisation
    query = Query.from_args(request.args)
    page_number = request.args.get("page", 1, type=int) or 1
    shared = request.args.get("scope") == "shared" and user_may("talent.manage")
    pools = shares.shared_pools(db.session, organisation.id) if shared else []
    search.log_access(db.session, current_user, organisation.id, "search",
                      ("scope=shared; " if shared else "")
                      + (search.describe(query) or "list"))
    db.session.commit()  # before the search: a commit would expire the people it loads
    page = search.search(db.session, organisation.id, query, page=page_number,
                         pool=shares.condition(pools) if shared else None)
    args = query.as_args()
    return render_template("talent/people_list.html", organisation=organisation, query=query,
                           page=page, args={**args, "scope": "shared"} if shared else args,
                           shared=shared, keepers=shares.keepers(db.session, pools),
                           **filter_choices(organisation, query))


@bp.route(f"{O}/talent/searches")
@requires("talent.view")
def saved_searches() -> str:
    organisation = g.organisation
    saved = search.saved_searches(db.session, current_user, organisation.id)
    return render_template("talent/people_searches.html", organisation=organisation,
                           saved=saved, describe=lambda s: search.describe(Query.from_args(s.query)))


@bp.route(f"{O}/talent/searches", methods=["POST"])
@requires("talent.view")
def save_search() -> Response:
    organisation = g.organisation
    query = Query.from_args(request.form)
    name = (request.form.get("name") or "").strip()
    if not name:
        flash(_("Give the search a name to save it."), "danger")
        return redirect(url_for("talent.people", **query.as_args()))
    search.save_search(db.session, current_user, organisation.id, name, query)
    db.session.commit()
    flash(_("The search “%(name)s” is saved.", name=name[:200]), "success")
    return redirect(url_for("talent.saved_searches"))


@bp.route(f"{O}/talent/searches/<int:search_id>/delete", methods=["POST"])
@requires("talent.view")
def delete_search(search_id: int) -> Response:
    saved = search.find_saved(db.session, current_user, g.organisation.id, search_id)
    if saved is None:
        abort(404)  # someone else's: its existence does not leak
    search.delete_saved(db.session, saved)
    db.session.commit()
    flash(_("The saved search is deleted."), "success")
    return redirect(url_for("talent.saved_searches"))
