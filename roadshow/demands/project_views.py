"""The project list (项目清单, issue 15): officers take a match into it from the matching pages;
the list shows every entry with its lead unit, deadline and status, the overdue ones flagged,
and the office or the units concerned move an entry along."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from roadshow.access import current_grant, deny, requires
from roadshow.demands import candidates, follow_up, projects
from roadshow.demands.blueprint import bp
from roadshow.demands.match_views import (
    back_to,
    local_today,
    office_application_or_404,
    office_demand_or_404,
    page_again,
    visible_person_or_404,
)
from roadshow.demands.matching import score
from roadshow.demands.models import Demand
from roadshow.demands.projects import EntryStatus, ProjectEntry
from roadshow.events.loaders import this_organisation
from roadshow.events.scope import O
from roadshow.extensions import db


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    value = (text or "").strip()
    return int(value) if value.isdigit() else None


def match_score(organisation_id: int, demand_id: int, kind: str, candidate_id: int) -> float:
    """The match's score as the pages ranked it, computed again (never taken from the form)."""
    demands = candidates.matching_demands(db.session, organisation_id, [demand_id])
    found = (candidates.people_candidates(db.session, organisation_id, [candidate_id])
             if kind == "person" else
             candidates.application_candidates(db.session, organisation_id, [candidate_id]))
    if not demands or not found:
        return 0.0
    return score(demands[0], found[0])[0]


def status_label(status: EntryStatus | str) -> str:
    return {"open": _("Not started"), "in_progress": _("In progress"), "done": _("Done"),
            "cancelled": _("Cancelled")}[str(getattr(status, "value", status))]


def entry_overdue(entry: ProjectEntry, task: follow_up.TaskState | None, today: date) -> bool:
    """Late by its task's status and deadline when it has one, else by its own."""
    return task.overdue(today) if task is not None else projects.is_overdue(entry, today)


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {"project_status_label": status_label}


@bp.route(f"{O}/demands/<int:demand_id>/matches/accept", methods=["POST"])
@requires("demands.match")
def accept_match(demand_id: int) -> Any:
    demand = office_demand_or_404(demand_id)
    organisation = this_organisation()
    grant = current_grant()
    if not projects.may_match(grant, demand):
        deny("the demand is no district's of the actor")
    kind, candidate_id = request.form.get("kind", ""), _int(request.form.get("candidate"))
    if kind == "person" and candidate_id is not None:
        candidate: Any = visible_person_or_404(candidate_id)
    elif kind == "application" and candidate_id is not None:
        candidate = office_application_or_404(candidate_id)
    else:
        abort(400)
    value = match_score(organisation.id, demand.id, kind, candidate.id)
    data = projects.EntryData(lead_district_id=_int(request.form.get("lead")),
                              due_on=_date(request.form.get("due_on")),
                              note=request.form.get("note", ""))
    try:
        entry = projects.accept(db.session, organisation, current_user, grant, demand, kind,
                                candidate, data, score=value)
    except projects.ProjectForbiddenError as refused:
        deny(str(refused))
    except projects.ProjectError as refused:
        db.session.rollback()
        return page_again(office_demand_or_404(demand_id), error=str(refused),
                          error_field=refused.field, error_for=(demand_id, kind, candidate_id))
    db.session.commit()
    flash(_("The match is in the project list; the people concerned are introduced by mail."),
          "success")
    if request.form.get("back") == "list":
        return redirect(url_for("demands.project_list"))
    return redirect(back_to(entry.demand))


def _page(status: int = 200, **context: Any) -> Any:
    organisation = this_organisation()
    grant = current_grant()
    wanted = request.args.get("status") or None
    rows = projects.entries_of(db.session, organisation.id, grant, status=wanted)
    demands = {d.id: d for d in db.session.scalars(select(Demand).where(
        Demand.id.in_({r.demand_id for r in rows})).options(selectinload(Demand.district)))} \
        if rows else {}
    today = local_today(organisation)
    task_states = follow_up.task_states(db.session, rows)
    late = {r.id for r in rows
            if entry_overdue(r, task_states.get(r.task_id) if r.task_id else None, today)}
    return render_template(
        "demands/project_list.html", rows=rows, demands=demands,
        applications=projects.applications_of(db.session, organisation.id, rows),
        today=today, late=late, tasks=task_states, statuses=list(EntryStatus),
        wanted=wanted, organizer=projects.is_organizer(grant), kept=request.form,
        **{"error": None, "error_for": None, **context}), status


@bp.route(f"{O}/demands/projects")
@requires("demands.match")
def project_list() -> Any:
    return _page()


@bp.route(f"{O}/demands/projects/<int:entry_id>", methods=["POST"])
@requires("demands.match")
def update_project(entry_id: int) -> Any:
    organisation = this_organisation()
    entry = db.session.scalar(select(ProjectEntry).where(
        ProjectEntry.id == entry_id, ProjectEntry.organisation_id == organisation.id))
    if entry is None:
        abort(404)
    try:
        projects.set_status(db.session, entry, current_grant(), request.form.get("status", ""),
                            request.form.get("note"), actor=current_user)
    except projects.ProjectForbiddenError as refused:
        deny(str(refused))
    except projects.ProjectError as refused:
        db.session.rollback()
        return _page(400, error=str(refused), error_for=entry_id)
    db.session.commit()
    flash(_("The entry is saved."), "success")
    return redirect(url_for("demands.project_list", **(
        {"status": request.args["status"]} if request.args.get("status") else {})))
