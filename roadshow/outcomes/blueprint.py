"""The outcomes blueprint (issue 15): the view modules register their routes on ``bp``
(roadshow.outcomes.routes imports them all), and the app wires signing's announcements in."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from roadshow.districts.models import District
from roadshow.events.loaders import this_organisation
from roadshow.extensions import db
from roadshow.outcomes import from_demands, projects, trail
from roadshow.outcomes.models import (
    TASK_ENDED,
    Milestone,
    MilestoneState,
    Task,
    TaskStatus,
    task_members,
)
from roadshow.scoping import across

bp = Blueprint("outcomes", __name__)


def _connect(_state: Any) -> None:
    projects.connect()  # a sealed intent opens its project
    trail.connect()  # verify-chain checks the confirmed milestones
    from_demands.connect()  # a match taken into the project list opens a task


bp.record_once(_connect)


def office_districts() -> list[District]:
    organisation = this_organisation()
    return list(db.session.scalars(select(District).where(
        District.organisation_id == organisation.id).order_by(District.id)))


def office_district_or_404(district_id: int | None) -> District | None:
    if district_id is None:
        return None
    district = db.session.get(District, district_id)
    if district is None or district.organisation_id != this_organisation().id:
        abort(404)
    return district


def milestone_state_label(state: MilestoneState | str) -> str:
    return {"open": _("Awaiting evidence"), "submitted": _("Evidence sent"),
            "confirmed": _("Confirmed")}[str(getattr(state, "value", state))]


def task_status_label(status: TaskStatus | str) -> str:
    return {"open": _("Not started"), "in_progress": _("In progress"), "done": _("Done"),
            "cancelled": _("Cancelled")}[str(getattr(status, "value", status))]


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {"milestone_state_label": milestone_state_label,
            "task_status_label": task_status_label}


def _public_milestones(intent: Any) -> list[Any]:
    """For signing's public verification page: the confirmed milestones its trail records."""
    return trail.public_milestones(db.session, intent)


bp.add_app_template_global(_public_milestones, "outcome_public_milestones")


def _unit_overdue(district: District) -> tuple[int, int]:
    """For a district's page: how many of its milestones and tasks are late."""
    organisation = this_organisation()
    today = projects.local_today(organisation.timezone)
    milestones = db.session.scalar(across(
        select(func.count(Milestone.id)).where(
            Milestone.responsible_district_id == district.id,
            Milestone.state != MilestoneState.CONFIRMED, Milestone.due_on < today),
        projects.office_event_ids(db.session, organisation)))
    late_tasks = db.session.scalar(select(func.count(Task.id)).where(
        Task.organisation_id == organisation.id, Task.status.not_in(TASK_ENDED),
        Task.due_on < today, or_(Task.lead_district_id == district.id, Task.id.in_(
            select(task_members.c.task_id).where(task_members.c.district_id == district.id)))))
    return int(milestones or 0), int(late_tasks or 0)


bp.add_app_template_global(_unit_overdue, "outcome_unit_overdue")
