"""The organizer's pages: the list with its filters, an application's detail, the exports and
the statistics."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton
from flask import Response, render_template, request
from flask_babel import gettext as _

from roadshow.access import requires
from roadshow.applications import exports, figures, organizer_list, profiles
from roadshow.applications.blueprint import (
    application_or_404,
    bp,
    country_name,
    in_reader_order,
    this_event,
)
from roadshow.applications.forms import SORT_LABELS, STATUS_LABELS
from roadshow.districts.models import District
from roadshow.events.models import Event
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.i18n import current_locale_code, localized


def _list_query(event: Event) -> organizer_list.ListQuery:
    args = request.args

    def integer(name: str) -> int | None:
        value = args.get(name, "")
        return int(value) if value.isdigit() else None

    status = args.get("status", "")
    return organizer_list.ListQuery(
        event_id=event.id, q=args.get("q", "")[:200],
        track_id=integer("track"), country=args.get("country", "")[:2],
        status=status if status in STATUS_LABELS else "",
        district_id=integer("district"),
        sort=args.get("sort", "newest") if args.get("sort") in organizer_list.SORTS else "newest",
        page=integer("page") or 1,
    )


@bp.route(f"{E}/organizer/applications")
@requires("applications.view_all")
def manage() -> str:
    event = this_event()
    query = _list_query(event)
    page = organizer_list.search(db.session, event, query)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("applications/manage.html", event=event, page=page, query=query,
                           args=args, countries=in_reader_order(organizer_list.countries_in(db.session, event)),
                           sorts=SORT_LABELS, districts=_districts(event))


@bp.route(f"{E}/organizer/applications/<int:application_id>")
@requires("applications.view_all")
def detail(application_id: int) -> str:
    application = application_or_404(application_id)
    return render_template("applications/detail.html", application=application,
                           event=application.event,
                           profile=profiles.profile_of(db.session, application.applicant))


def _districts(event: Event) -> list[District]:
    """The districts an application to ``event`` may name: the event's own (for a joint event,
    from several offices), or else every district of its organisation."""
    if event.districts:
        return list(event.districts)
    return list(db.session.scalars(db.select(District).where(
        District.organisation_id == event.organisation_id).order_by(District.code)))


def _every_day(counts: list[tuple[date, int]]) -> list[tuple[str, int]]:
    """Counts per day from the first to the last, days without any included, short labels."""
    if not counts:
        return []
    known = dict(counts)
    first, last = counts[0][0], counts[-1][0]
    locale = Locale.parse(current_locale_code())
    return [(format_skeleton("MMMd", first + timedelta(days=i), locale=locale),
             known.get(first + timedelta(days=i), 0))
            for i in range((last - first).days + 1)]


def _export_name(event: Event, extension: str) -> str:
    """``applications-<event>-20261122-1213-Asia-Shanghai.csv``: the time in the event's zone,
    which the name gives (its slash made a hyphen, so the name stays a file name)."""
    stamp = datetime.now(ZoneInfo(event.timezone)).strftime("%Y%m%d-%H%M")
    zone = re.sub(r"[^A-Za-z0-9_+-]", "-", event.timezone)
    return f"applications-{event.slug}-{stamp}-{zone}.{extension}"


def _export_rows(event: Event) -> list[list[Any]]:
    """The rows for the filters in the request, named in the reader's language."""
    tracks = {t.code: localized(t, "name") for t in event.tracks}
    districts = {d.code: localized(d, "name") for d in _districts(event)}
    return exports.localize(organizer_list.export_rows(db.session, event, _list_query(event),
                                                       event.timezone), tracks, districts)


@bp.route(f"{E}/organizer/applications/export.csv")
@requires("applications.view_all")
def export_csv() -> Response:
    event = this_event()
    rows = _export_rows(event)
    return Response(exports.to_csv(exports.headers(event.timezone), rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(event, "csv")}"'},
                    content_type="text/csv; charset=utf-8")


@bp.route(f"{E}/organizer/applications/export.xlsx")
@requires("applications.view_all")
def export_xlsx() -> Response:
    event = this_event()
    rows = _export_rows(event)
    return Response(exports.to_xlsx(exports.headers(event.timezone), rows, _("Project applications")),
                    mimetype=exports.XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(event, "xlsx")}"'})


@bp.route(f"{E}/organizer/applications/statistics")
@requires("applications.view_all")
def statistics() -> str:
    event = this_event()
    stats = figures.statistics(db.session, event)
    tracks = {t.id: t for t in event.tracks}
    districts = {d.id: d for d in _districts(event)}
    funnel_labels = {"started": _("Started"), "submitted": _("Submitted"),
                     "in_play": _("In play (not withdrawn)"), "finalist": _("Finalists")}
    return render_template(
        "applications/statistics.html", event=event, total=stats.total_received,
        funnel=[(funnel_labels[k], n) for k, n in stats.funnel],
        by_track=[(localized(tracks[t], "name") if t in tracks else _("No track"), n)
                  for t, n in stats.by_track],
        by_country=[(country_name(c) or _("Unknown"), n) for c, n in stats.by_country],
        by_district=[(localized(districts[d], "name"), n) for d, n in stats.by_district if d in districts],
        by_day=_every_day(stats.by_day),
    )

