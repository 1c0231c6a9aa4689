"""Reports across events (issue 13): the blueprint ``reports``, which serves an office's home and
its reports and an alliance's reports (docs/design/many-events.md §4).

- ``/o/<org>/``: the office's home, its events grouped by state, each with its funnel, then the
  joint events it co-organises, and the way to its districts, people and a new event;
- ``/o/<org>/reports`` and ``.xlsx``: the office's events side by side, by district, track,
  year and country, filtered by year and kind;
- ``/a/<alliance>/reports`` and ``.xlsx``: the same over the events shared with the alliance.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from roadshow.access import requires
from roadshow.countries import country_name
from roadshow.events import labels as event_labels
from roadshow.events.loaders import this_alliance, this_organisation
from roadshow.events.models import Event
from roadshow.events.scope import A, O
from roadshow.events.states import STATES
from roadshow.extensions import db
from roadshow.i18n import current_locale_code, localized
from roadshow.reports import figures, outcome_counts, workbook
from roadshow.reports.funnel import STAGES

bp = Blueprint("reports", __name__)
# the outcomes board (an earlier layer) counts applications and finalists with our queries
bp.record_once(lambda _state: outcome_counts.install())

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_context_processor
def _report_helpers() -> dict[str, object]:
    return {"funnel_stages": STAGES, "funnel_label": funnel_label,
            "report_country": lambda code: country_name(code, current_locale_code())
            if code else _("Not given")}


def funnel_label(stage: str) -> str:
    return {
        "submitted": _("Applications"),
        "countries": _("Countries"),
        "finalists": _("Finalists"),
        "pitched": _("Pitched"),
        "intents_signed": _("Intents signed"),
        "landed": _("Landed"),
    }[stage]


def _office_link(endpoint: str, **values: Any) -> str | None:
    """The URL of another domain's office page, when that page exists (None otherwise)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _filters() -> tuple[int | None, str | None, list[str]]:
    """The year and kind asked for; a value that is not one is refused with a message and the
    report shows every year or kind instead."""
    errors: list[str] = []
    year_text = (request.args.get("year") or "").strip()
    year = None
    if year_text:
        if year_text.isdigit() and 1900 <= int(year_text) <= 2999:
            year = int(year_text)
        else:
            errors.append(_("“%(year)s” is not a year. Showing every year.", year=year_text))
    kind = (request.args.get("kind") or "").strip() or None
    if kind is not None and kind not in event_labels.KIND_LABELS:
        errors.append(_("“%(kind)s” is not a kind of event. Showing every kind.", kind=kind))
        kind = None
    return year, kind, errors


def _workbook(report: figures.Report, filename: str) -> Response:
    data = workbook.build(report, name=localized,
                          country=lambda code: country_name(code, current_locale_code()),
                          state=event_labels.state_label, kind=event_labels.kind_label)
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{filename}.xlsx"',
        "Cache-Control": "private, no-store"})


# --- the office -----------------------------------------------------------------------------

@bp.route(f"{O}/")
@requires("reports.view")
def organisation_home() -> str:
    organisation = this_organisation()
    events = figures.organisation_events(db.session, organisation)
    report = figures.build(db.session, events, details=False)
    own = [f for f in report.events if f.event.organisation_id == organisation.id]
    joint = [f for f in report.events if f.event.organisation_id != organisation.id]
    by_state: dict[str, list[figures.EventFigures]] = {state: [] for state in STATES}
    for row in own:
        by_state[row.state].append(row)
    return render_template(
        "reports/organisation_home.html", organisation=organisation,
        groups=[(state, rows) for state, rows in by_state.items() if rows], joint=joint,
        state_label=event_labels.state_label, kind_label=event_labels.kind_label,
        links={"new_event": _office_link("events.create"),
               "events": _office_link("events.manage_list"),
               "districts": _office_link("districts.index"),
               "people": _office_link("accounts.people"),
               "members": _office_link("organisations.members"),
               "reports": url_for("reports.organisation_reports")},
        alliances=[m.alliance for m in organisation.alliance_memberships if m.left_at is None],
    )


def _report_page(report: figures.Report, title: str, workbook_endpoint: str,
                 errors: list[str], year: int | None, kind: str | None,
                 scope_note: str) -> str:
    return render_template(
        "reports/report.html", report=report, title=title, errors=errors, year=year, kind=kind,
        workbook_url=url_for(workbook_endpoint, **({"year": year} if year else {}),
                             **({"kind": kind} if kind else {})),
        state_label=event_labels.state_label, kind_label=event_labels.kind_label,
        scope_note=scope_note), 400 if errors else 200  # type: ignore[return-value]


@bp.route(f"{O}/reports")
@requires("reports.view")
def organisation_reports() -> Any:
    organisation = this_organisation()
    year, kind, errors = _filters()
    report = figures.build(db.session, figures.organisation_events(db.session, organisation),
                           year=year, kind=kind)
    return _report_page(report, _("Reports of %(office)s", office=localized(organisation, "name")),
                        "reports.organisation_workbook", errors, year, kind,
                        _("Every event of this office, and the joint events it co-organises."))


@bp.route(f"{O}/reports.xlsx")
@requires("reports.view")
def organisation_workbook() -> Response:
    organisation = this_organisation()
    year, kind, _errors = _filters()
    report = figures.build(db.session, figures.organisation_events(db.session, organisation),
                           year=year, kind=kind)
    return _workbook(report, f"{organisation.slug}-reports")


# --- the alliance ---------------------------------------------------------------------------

def _alliance() -> Any:
    alliance = this_alliance()
    if alliance is None:
        abort(404)
    return alliance


@bp.route(f"{A}/reports")
@requires("reports.view")
def alliance_reports() -> Any:
    alliance = _alliance()
    year, kind, errors = _filters()
    report = figures.build(db.session, figures.alliance_events(db.session, alliance),
                           year=year, kind=kind)
    return _report_page(report, _("Reports of %(alliance)s", alliance=localized(alliance, "name")),
                        "reports.alliance_workbook", errors, year, kind,
                        _("Only the events its members shared with the alliance: their joint "
                          "events and the reports they chose to share."))


@bp.route(f"{A}/reports.xlsx")
@requires("reports.view")
def alliance_workbook() -> Response:
    alliance = _alliance()
    year, kind, _errors = _filters()
    report = figures.build(db.session, figures.alliance_events(db.session, alliance),
                           year=year, kind=kind)
    return _workbook(report, f"{alliance.slug}-reports")


def event_link(event: Event) -> str:
    """An event's page from a page that lists several (the slug is given explicitly)."""
    return url_for("events.detail", event_slug=event.slug)


bp.add_app_template_global(event_link, "report_event_link")
