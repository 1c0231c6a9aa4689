"""Tasks across units: the office's plan per event or year. Organizers add and change tasks; a
unit's recruiters see the tasks their unit leads or joins and update status and evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from roadshow.access import current_grant, deny, requires
from roadshow.events.loaders import this_organisation
from roadshow.events.models import Event
from roadshow.events.scope import O
from roadshow.extensions import db
from roadshow.outcomes import projects, tasks
from roadshow.outcomes.blueprint import bp, office_district_or_404, office_districts
from roadshow.outcomes.models import Task, TaskStatus
from roadshow.outcomes.rules import is_overdue


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() else None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _events() -> list[Event]:
    return list(db.session.scalars(select(Event).where(
        Event.organisation_id == this_organisation().id).order_by(Event.id.desc())))


def _data() -> tasks.TaskData:
    form = request.form
    return tasks.TaskData(
        title=form.get("title", ""), lead_district_id=_int(form.get("lead")),
        member_ids=tuple(i for i in (_int(v) for v in form.getlist("members")) if i is not None),
        due_on=_date(form.get("due_on")), event_id=_int(form.get("event")),
        year=_int(form.get("year")))


def _page(template: str, status: int = 200, **context: Any) -> Any:
    today = projects.local_today(this_organisation().timezone)
    grant = current_grant()
    return render_template(template, today=today, is_overdue=is_overdue,
                           organizer=projects.is_organizer(grant), events=_events(),
                           districts=office_districts(), statuses=list(TaskStatus),
                           kept=request.form, **context), status


@bp.route(f"{O}/outcomes/tasks", methods=["GET", "POST"])
@requires("outcomes.follow")
def tasks_list() -> Any:
    organisation = this_organisation()
    grant = current_grant()
    error = None
    if request.method == "POST":
        try:
            task = tasks.save_task(db.session, organisation, current_user, grant, None, _data())
        except projects.OutcomeForbiddenError as refused:
            deny(str(refused))
        except projects.OutcomeError as refused:
            db.session.rollback()
            error = str(refused)
        else:
            db.session.commit()
            flash(_("The task is added to the plan."), "success")
            return redirect(url_for("outcomes.tasks_list", year=task.year))
    year, event_id = _int(request.args.get("year")), _int(request.args.get("event"))
    district = office_district_or_404(_int(request.args.get("district")))
    rows = tasks.tasks_of(db.session, organisation, grant, year=year, event_id=event_id,
                          district_id=district.id if district else None)
    return _page("outcomes/tasks.html", 400 if error else 200, rows=rows, error=error,
                 year=year, event_id=event_id, district=district)


@bp.route(f"{O}/outcomes/tasks/<int:task_id>", methods=["GET", "POST"])
@requires("outcomes.follow")
def task(task_id: int) -> Any:
    organisation = this_organisation()
    grant = current_grant()
    found = db.session.scalar(select(Task).where(
        Task.id == task_id, Task.organisation_id == organisation.id).options(
        selectinload(Task.members)))
    if found is None:
        abort(404)
    if not tasks.may_see(grant, found):
        deny("the task is no unit's of the actor")
    error = None
    if request.method == "POST":
        try:
            if request.form.get("action") == "plan":
                tasks.save_task(db.session, organisation, current_user, grant, found, _data())
            else:
                tasks.update_progress(db.session, found, current_user, grant,
                                      status=request.form.get("status", ""),
                                      note=request.form.get("evidence_note", ""))
        except projects.OutcomeForbiddenError as refused:
            deny(str(refused))
        except projects.OutcomeError as refused:
            db.session.rollback()
            error = str(refused)
        else:
            db.session.commit()
            flash(_("The task is saved."), "success")
            return redirect(url_for("outcomes.task", task_id=found.id))
    return _page("outcomes/task.html", 400 if error else 200, task=found, error=error)
