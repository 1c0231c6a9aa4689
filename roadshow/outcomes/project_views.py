"""The projects of sealed intents and their milestones, on the office's pages: organizers see
every project, a district's recruiters those their unit is responsible for; units send
evidence, organizers confirm it, send it back or change a milestone's unit and deadline.

Under ``/o/<org>/`` rather than the event's pages: a project lands a year after its event,
when the event is long archived."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from roadshow.access import current_grant, deny, requires
from roadshow.events.loaders import this_organisation
from roadshow.events.scope import O
from roadshow.extensions import db
from roadshow.outcomes import milestones as work
from roadshow.outcomes import projects
from roadshow.outcomes.blueprint import bp, office_district_or_404, office_districts
from roadshow.outcomes.board import late_milestones
from roadshow.outcomes.models import Milestone, MilestoneDocument, Project
from roadshow.outcomes.rules import days_late, is_overdue
from roadshow.scoping import across
from roadshow.signing.audit_trail import RequestInfo


def _info() -> RequestInfo:
    return RequestInfo(request.remote_addr or "", request.user_agent.string or "")


def _ids() -> list[int]:
    return projects.office_event_ids(db.session, this_organisation())


def _today() -> date:
    return projects.local_today(this_organisation().timezone)


def _int_arg(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() else None


@bp.route(f"{O}/outcomes/projects")
@requires("outcomes.follow")
def projects_list() -> str:
    """Every project the viewer follows, with its milestones; ``district`` narrows to a unit."""
    organisation = this_organisation()
    grant = current_grant()
    district = office_district_or_404(_int_arg("district"))
    rows = projects.projects_of(db.session, organisation, grant,
                                district_id=district.id if district else None)
    today = _today()
    units = None if projects.is_organizer(grant) else grant.district_ids
    if district is not None:
        units = {district.id} if units is None else set(units) & {district.id}
    late = late_milestones(db.session, _ids(), today, district_ids=units)
    return render_template("outcomes/projects.html", rows=rows, district=district, late=late,
                           today=today, is_overdue=is_overdue, days_late=days_late,
                           districts=office_districts() if projects.is_organizer(grant) else [])


def _project_or_404(intent_id: int) -> Project:
    project = db.session.scalar(across(
        select(Project).where(Project.intent_id == intent_id)
        .options(selectinload(Project.milestones).selectinload(Milestone.documents)), _ids()))
    if project is None:
        abort(404)
    try:
        projects.check_may_see(current_grant(), project)
    except projects.OutcomeForbiddenError as refused:
        deny(str(refused))
    return project


@bp.route(f"{O}/outcomes/intents/<int:intent_id>")
@requires("outcomes.follow")
def project(intent_id: int) -> str:
    return _project_page(_project_or_404(intent_id))


def _project_page(project: Project, errors: dict[int, str] | None = None,
                  kept: dict[str, Any] | None = None, status: int = 200) -> Any:
    grant = current_grant()
    today = _today()
    return render_template(
        "outcomes/project.html", project=project, intent=project.intent, today=today,
        is_overdue=is_overdue, days_late=days_late, errors=errors or {}, kept=kept or {},
        organizer=projects.is_organizer(grant),
        may_follow=lambda m: projects.may_follow(grant, m.responsible_district_id),
        districts=office_districts()), status


def _milestone_or_404(milestone_id: int) -> Milestone:
    milestone = db.session.scalar(across(select(Milestone).where(Milestone.id == milestone_id),
                                         _ids()))
    if milestone is None:
        abort(404)
    try:
        projects.check_may_see(current_grant(), milestone.project)
    except projects.OutcomeForbiddenError as refused:
        deny(str(refused))
    return milestone


def _back(milestone: Milestone) -> Response:
    return redirect(url_for("outcomes.project", intent_id=milestone.project.intent_id)
                    + f"#milestone-{milestone.id}")


def _refused(milestone: Milestone, error: Exception) -> Any:
    db.session.rollback()
    project = _project_or_404(milestone.project.intent_id)
    return _project_page(project, errors={milestone.id: str(error)},
                         kept={"milestone": milestone.id, **request.form.to_dict()}, status=400)


@bp.route(f"{O}/outcomes/milestones/<int:milestone_id>/evidence", methods=["POST"])
@requires("outcomes.follow")
def evidence(milestone_id: int) -> Any:
    milestone = _milestone_or_404(milestone_id)
    form = request.form
    uploads = tuple((f.filename or "", f.read()) for f in request.files.getlist("documents")
                    if f and f.filename)
    try:
        data = work.Evidence(
            note=form.get("note", ""),
            amount_cny=work.parse_count(form.get("amount_cny"), "amount_cny",
                                        _("Amount paid (yuan)"), limit=10**15),
            registered_capital_cny=work.parse_count(
                form.get("registered_capital_cny"), "registered_capital_cny",
                _("Registered capital (yuan)"), limit=10**15),
            people_on_site=work.parse_count(form.get("people_on_site"), "people_on_site",
                                            _("People on site"), limit=100_000),
            uploads=uploads)
        work.submit_evidence(db.session, milestone, current_user, current_grant(), data)
    except projects.OutcomeForbiddenError as refused:
        deny(str(refused))
    except projects.OutcomeError as error:
        return _refused(milestone, error)
    db.session.commit()
    flash(_("The evidence is sent; an organizer of the office confirms it."), "success")
    return _back(milestone)


@bp.route(f"{O}/outcomes/milestones/<int:milestone_id>/confirm", methods=["POST"])
@requires("outcomes.manage")
def confirm(milestone_id: int) -> Any:
    milestone = _milestone_or_404(milestone_id)
    try:
        work.confirm(db.session, milestone, current_user, current_grant(), _info())
    except projects.OutcomeForbiddenError as refused:
        deny(str(refused))
    except projects.OutcomeError as error:
        return _refused(milestone, error)
    db.session.commit()
    flash(_("Confirmed and recorded in the intent's audit trail."), "success")
    return _back(milestone)


@bp.route(f"{O}/outcomes/milestones/<int:milestone_id>/send-back", methods=["POST"])
@requires("outcomes.manage")
def send_back(milestone_id: int) -> Any:
    milestone = _milestone_or_404(milestone_id)
    try:
        work.send_back(db.session, milestone, current_grant())
    except projects.OutcomeForbiddenError as refused:
        deny(str(refused))
    except projects.OutcomeError as error:
        return _refused(milestone, error)
    db.session.commit()
    flash(_("The evidence went back to the unit to complete."), "info")
    return _back(milestone)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@bp.route(f"{O}/outcomes/milestones/<int:milestone_id>/assign", methods=["POST"])
@requires("outcomes.manage")
def assign(milestone_id: int) -> Any:
    milestone = _milestone_or_404(milestone_id)
    district_id = request.form.get("district", "")
    district = office_district_or_404(int(district_id)) if district_id.isdigit() else None
    try:
        work.change(db.session, milestone, current_grant(), district=district,
                    due_on=_date(request.form.get("due_on")))
    except projects.OutcomeForbiddenError as refused:
        deny(str(refused))
    except projects.OutcomeError as error:
        return _refused(milestone, error)
    db.session.commit()
    flash(_("The milestone's unit and deadline are saved."), "success")
    return _back(milestone)


@bp.route(f"{O}/outcomes/documents/<int:document_id>")
@requires("outcomes.follow")
def document(document_id: int) -> Response:
    found = db.session.scalar(across(
        select(MilestoneDocument).where(MilestoneDocument.id == document_id), _ids()))
    if found is None:
        abort(404)
    _milestone_or_404(found.milestone_id)
    store = work.document_store()
    if not store.exists(found.stored_name):
        abort(404)
    return Response(store.read(found.stored_name), mimetype=found.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(found.original_name)}",
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


def _quote(name: str) -> str:
    return quote(name, safe="")
