"""Export of the people list's selection (Excel or CSV) and the pool's charts.

Thin: read the query, check access, call the service, answer. The export names who made it in
the pool's access log; phone and e-mail columns go only to readers who may see them.
"""

from __future__ import annotations

from flask import Response, abort, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from roadshow.access import current_grant, requires
from roadshow.accounts.roles import Role
from roadshow.countries import country_name
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.i18n import current_locale_code, is_chinese
from roadshow.talent import divisions, maps
from roadshow.talent.blueprint import (
    CATEGORY_LABELS,
    DEGREE_LABELS,
    GENDER_LABELS,
    SOURCE_LABELS,
    O,
    bp,
)
from roadshow.talent.models import Category, Degree, Industry, Source
from roadshow.talent.services import exports, figures
from roadshow.talent.services.search import Query
from roadshow.talent.views.people_list import filter_choices


def _label(labels: dict, kind: type) -> object:
    def read(value: object) -> str:
        try:
            return str(labels.get(kind(getattr(value, "value", value)), value or ""))
        except ValueError:
            return str(value or "")
    return read


def labels() -> exports.Labels:
    return exports.Labels(
        chinese=is_chinese(), locale=current_locale_code(),
        category=_label(CATEGORY_LABELS, Category), degree=_label(DEGREE_LABELS, Degree),
        source=_label(SOURCE_LABELS, Source),
        gender=lambda value: str(GENDER_LABELS.get(value, value or "")))


@bp.route(f"{O}/talent/people.<fmt>")
@requires("talent.manage")
def export_people(fmt: str) -> Response:
    if fmt not in exports.FORMATS:
        abort(404)
    organisation = g.organisation
    query = Query.from_args(request.args)
    # phone and e-mail: the office's organizers (a station officer sees only their station's)
    with_contacts = Role.ORGANIZER in current_grant().roles
    content, _count = exports.export(db.session, current_user, organisation, query, fmt,
                                     labels(), with_contacts)
    db.session.commit()
    name = f"talent-{organisation.slug}-{utcnow().date().isoformat()}.{fmt}"
    response = Response(content, mimetype=exports.XLSX if fmt == "xlsx" else exports.CSV)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route(f"{O}/talent/charts")
@requires("talent.view")
def charts() -> str:
    organisation = g.organisation
    query = Query.from_args(request.args)
    found = figures.figures(db.session, organisation.id, query)
    chinese = is_chinese()
    locale = current_locale_code()
    industries = {row.id: (row.name_zh if chinese else row.name_en) for row in db.session.scalars(
        select(Industry).where(Industry.organisation_id == organisation.id))}
    category = _label(CATEGORY_LABELS, Category)
    degree = _label(DEGREE_LABELS, Degree)
    from_countries = [(_country(code, locale), count) for code, count in found.by_country]
    charts_ = [
        (_("People by category"), [(category(k), c) for k, c in found.by_category]),
        (_("People by industry chain"), [(industries.get(k, "?"), c) for k, c in found.by_industry]),
        (_("People by country of residence"), from_countries),
        (_("People living in China, by province"),
         [(divisions.describe(k, chinese) if k else _("Province not known"), c)
          for k, c in found.by_province]),
        (_("People by native county"),
         [(divisions.describe(k, chinese), c) for k, c in found.by_native_county]),
        (_("People by highest degree"),
         [(degree(k) if k else _("Not given"), c) for k, c in found.by_degree]),
        (_("People added per month"), found.by_month),
    ]
    return render_template("talent/charts.html", organisation=organisation, query=query,
                           args=query.as_args(), total=found.total, charts=charts_,
                           world=maps.world_map(found.countries,
                                                lambda code: _country(code, locale)),
                           china=_china_map(found, chinese),
                           **filter_choices(organisation, query))


def _china_map(found: figures.Figures, chinese: bool) -> maps.TileMap:
    """Provinces from the residence city of people living in China; Taiwan, Hong Kong and
    Macao from the residence country a record stores for them."""
    counts = {code: count for code, count in found.by_province if code}
    for country, count in found.countries:
        if country in maps.REGIONS:
            counts[maps.REGIONS[country]] = counts.get(maps.REGIONS[country], 0) + count

    def label(place: maps.TilePlace) -> str:
        division = divisions.get(place.code)
        if chinese:
            return maps.short_name(division.name_zh if division else place.name_zh)
        return division.name_en if division else place.name_en

    return maps.province_tile_map(counts, label)


def _country(code: str, locale: str) -> str:
    return country_name(code, locale) if code else _("Not given")
