"""The office's board (figures, charts, late milestones and tasks, one Excel workbook) and its
milestone templates: organizers only."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from roadshow.access import requires
from roadshow.events.loaders import this_organisation
from roadshow.events.scope import O
from roadshow.extensions import db
from roadshow.outcomes import board as figures
from roadshow.outcomes import projects, workbook
from roadshow.outcomes.blueprint import bp
from roadshow.outcomes.models import MilestoneTemplate
from roadshow.spreadsheets import XLSX


def _year() -> tuple[int | None, str | None]:
    text = (request.args.get("year") or "").strip()
    if not text:
        return None, None
    if text.isdigit() and 1900 <= int(text) <= 2999:
        return int(text), None
    return None, _("“%(year)s” is not a year. Showing every year.", year=text)


def figure_label(name: str) -> str:
    return {
        "applications": _("Applications"), "finalists": _("Finalists"),
        "intents": _("Intents signed"), "projects": _("Projects followed"),
        "landed": _("Landed"), "milestones_done": _("Milestones done"),
        "milestones_late": _("Milestones late"), "investment_cny": _("Investment (yuan)"),
        "people_on_site": _("People on site"),
    }[name]


bp.add_app_template_global(figure_label, "outcome_figure_label")


@bp.route(f"{O}/outcomes/")
@requires("outcomes.manage")
def board() -> Any:
    organisation = this_organisation()
    year, error = _year()
    data = figures.build(db.session, organisation, year=year)
    return render_template("outcomes/board.html", board=data, year=year, error=error,
                           figure_names=figures.FIGURES,
                           workbook_url=url_for("outcomes.board_workbook",
                                                **({"year": year} if year else {}))
                           ), 400 if error else 200


@bp.route(f"{O}/outcomes/board.xlsx")
@requires("outcomes.manage")
def board_workbook() -> Response:
    organisation = this_organisation()
    year, _error = _year()
    data = figures.build(db.session, organisation, year=year)
    return Response(workbook.build(data, figure_label), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{organisation.slug}-outcomes.xlsx"',
        "Cache-Control": "private, no-store"})


def _number(name: str) -> int | None:
    text = (request.form.get(name) or "").strip()
    return int(text) if text.isdigit() else None


@bp.route(f"{O}/outcomes/milestone-templates", methods=["GET", "POST"])
@requires("outcomes.manage")
def templates() -> Any:
    """The office's milestones, in order: every project opened from now on follows them."""
    organisation = this_organisation()
    error, status = None, 200
    if request.method == "POST":
        if request.form.get("action") == "defaults":
            projects.ensure_templates(db.session, organisation.id)
            db.session.commit()
            flash(_("The default milestones are saved; change them as the office works."),
                  "success")
            return redirect(url_for("outcomes.templates"))
        template_id = _number("template_id")
        template = db.session.get(MilestoneTemplate, template_id) if template_id else None
        if template is not None and template.organisation_id != organisation.id:
            template = None
        try:
            projects.save_template(
                db.session, organisation, template, name_zh=request.form.get("name_zh", ""),
                name_en=request.form.get("name_en", ""), position=_number("position"),
                due_days=_number("due_days"), active=request.form.get("active") == "on")
        except projects.OutcomeError as refused:
            db.session.rollback()
            error, status = (template_id or 0, str(refused)), 400
        else:
            db.session.commit()
            flash(_("The milestone is saved. Projects opened from now on follow it."), "success")
            return redirect(url_for("outcomes.templates"))
    return render_template("outcomes/templates.html",
                           templates=projects.templates_of(db.session, organisation.id),
                           error=error, kept=request.form), status
