"""Following background jobs: a status page with a progress bar (reloadable at any time), the
JSON it polls, and the list of recent jobs. Thin: load, check, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import grant_in_event, requires
from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.i18n import format_when
from roadshow.jobs import kinds, services
from roadshow.jobs.messages import failure_message
from roadshow.jobs.models import Job, JobStatus

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

#: seconds between two polls of the progress endpoint (and the no-JS page refresh)
POLL_SECONDS = 2


def _organises(event_id: int | None) -> bool:
    """Whether the signed-in person organises the event ``event_id`` (their grant there)."""
    return event_id is not None and Role.ORGANIZER in grant_in_event(event_id).roles


def _job_or_404(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or not services.may_see(current_user, job, _organises(job.event_id)):
        abort(404)  # someone else's job: its existence does not leak
    db.session.refresh(job)
    return job


def title(job: Job) -> str:
    kind = kinds.get(job.kind)
    return str(kind.title) if kind is not None and kind.title else _("Background job")


def status_line(job: Job) -> str:
    """What the job is doing, in the reader's language (and zone for the next attempt)."""
    if job.status == JobStatus.QUEUED:
        if job.error_key == "interrupted":
            return _("Interrupted by a server restart at %(done)d of %(total)d; waiting to resume.",
                     done=job.done, total=job.total)
        return _("Waiting for a worker to start it.")
    if job.status == JobStatus.RUNNING:
        return _("%(done)d of %(total)d done.", done=job.done, total=job.total)
    if job.status == JobStatus.RETRYING:
        return _("Attempt %(attempt)d stopped at %(done)d of %(total)d. It is tried again at "
                 "%(when)s.", attempt=job.attempts, done=job.done, total=job.total,
                 when=format_when(job.next_attempt_at))
    if job.status == JobStatus.DONE:
        return _("Finished: %(done)d of %(total)d done.", done=job.done, total=job.total)
    return _("Stopped after %(attempts)d attempts at %(done)d of %(total)d.",
             attempts=job.attempts, done=job.done, total=job.total)


def back_url(job: Job, kind: kinds.Kind | None) -> str | None:
    """Where "Back" leads: the kind's page, in the job's event when that page lives under one,
    or in the office the job was started for (``org_slug`` among its parameters)."""
    endpoint = kind.back_endpoint if kind is not None else ""
    if not endpoint or endpoint not in current_app.view_functions:
        return None
    values = {}
    if current_app.url_map.is_endpoint_expecting(endpoint, "event_slug"):
        if job.event is None:
            return None
        values["event_slug"] = job.event.slug
    if current_app.url_map.is_endpoint_expecting(endpoint, "org_slug"):
        org_slug = (job.params or {}).get("org_slug")
        if not org_slug:
            return None
        values["org_slug"] = org_slug
    return url_for(endpoint, **values)


def error_text(job: Job) -> str:
    if job.status in (JobStatus.RETRYING, JobStatus.FAILED) and job.error_key:
        return failure_message(job.error_key)
    return ""


@bp.route("/")
@requires("jobs.oversee")
def index() -> str:
    jobs = services.recent_for(db.session, current_user, _organises)
    return render_template("jobs/index.html", jobs=jobs, title=title, status_line=status_line)


@bp.route("/<int:background_job_id>")
@requires("jobs.view")
def status(background_job_id: int) -> str:
    job = _job_or_404(background_job_id)
    kind = kinds.get(job.kind)
    return render_template("jobs/status.html", job=job, kind=kind, title=title(job),
                           back_url=back_url(job, kind),
                           status_line=status_line(job), error=error_text(job),
                           poll_seconds=POLL_SECONDS)


@bp.route("/<int:background_job_id>.json")
@requires("jobs.view")
def progress(background_job_id: int) -> Response:
    job = _job_or_404(background_job_id)
    response = jsonify(
        id=job.id, status=job.status.value, active=job.active, done=job.done, total=job.total,
        percent=job.percent, status_line=status_line(job), error=error_text(job),
        page=url_for("jobs.status", background_job_id=job.id))
    response.headers["Cache-Control"] = "no-store"
    return response
