"""Importing people from a spreadsheet: upload, column mapping, preview with errors and
duplicates (merge / keep both / skip), then a background job with a progress bar.

Thin: load the staged import, check access, call roadshow.talent.services.imports, render.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from roadshow.jobs.queue import job_queue
from roadshow.talent import jobs as talent_jobs
from roadshow.talent import spreadsheets
from roadshow.talent.blueprint import CATEGORY_LABELS, FIELD_LABELS, O, bp
from roadshow.talent.services import imports

#: the mapping page's names for our fields (FIELD_LABELS names the record's own)
FIELD_NAMES = {**FIELD_LABELS, "native_place": FIELD_LABELS["native_code"]}


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _staged_or_404(token: str) -> imports.Staged:
    staged = imports.load(_root(), token, g.organisation.id)
    if staged is None:
        abort(404)  # unknown, finished, or another office's
    return staged


def _running(staged: imports.Staged) -> Job | None:
    return db.session.get(Job, staged.job_id) if staged.job_id else None


@bp.route(f"{O}/talent/imports", methods=["GET", "POST"])
@requires("talent.manage")
def upload_import() -> str | Response:
    organisation = g.organisation
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a file to upload."), "danger")
        else:
            data = upload.read(spreadsheets.MAX_BYTES + 1)
            try:
                staged = imports.stage(_root(), current_user, organisation, upload.filename, data)
            except imports.ImportRefused as refused:
                flash(refused.text, "danger")
            else:
                return redirect(url_for("talent.map_import", token=staged.token))
    return render_template("talent/imports_upload.html", organisation=organisation,
                           limit_rows=spreadsheets.MAX_ROWS,
                           limit_mb=spreadsheets.MAX_BYTES // (1024 * 1024))


@bp.route(f"{O}/talent/imports/<token>/columns", methods=["GET", "POST"])
@requires("talent.manage")
def map_import(token: str) -> str | Response:
    staged = _staged_or_404(token)
    if (job := _running(staged)) is not None:
        return redirect(url_for("jobs.status", background_job_id=job.id))
    error = ""
    mapping = list(staged.mapping)
    category = staged.default_category
    if request.method == "POST":
        mapping = [value if (value := request.form.get(f"column-{index}")) in spreadsheets.FIELDS
                   else None for index in range(len(staged.headers))]
        category = request.form.get("default_category", "")
        if category not in {c.value for c in CATEGORY_LABELS}:
            category = staged.default_category
        try:
            imports.prepare(db.session, staged, mapping, category)
        except imports.ImportRefused as refused:
            error = refused.text
        else:
            imports.save(_root(), staged)
            return redirect(url_for("talent.preview_import", token=staged.token))
    samples = [[row[index] for row in staged.rows[:3]] for index in range(len(staged.headers))]
    return render_template("talent/imports_columns.html", organisation=g.organisation,
                           staged=staged, mapping=mapping, samples=samples, error=error,
                           fields=spreadsheets.FIELDS, field_names=FIELD_NAMES,
                           default_category=category), (422 if error else 200)


@bp.route(f"{O}/talent/imports/<token>/preview")
@requires("talent.manage")
def preview_import(token: str) -> str | Response:
    staged = _staged_or_404(token)
    if (job := _running(staged)) is not None:
        return redirect(url_for("jobs.status", background_job_id=job.id))
    if not staged.parsed:
        return redirect(url_for("talent.map_import", token=staged.token))
    preview = imports.preview(db.session, staged)
    return render_template("talent/imports_preview.html", organisation=g.organisation,
                           staged=staged, preview=preview, message=imports.message,
                           conflicts=imports.conflicts, row_values=lambda n: imports.row_values(
                               staged, n), field_names=FIELD_NAMES)


@bp.route(f"{O}/talent/imports/<token>/run", methods=["POST"])
@requires("talent.manage")
def run_import(token: str) -> Response:
    staged = _staged_or_404(token)
    if (job := _running(staged)) is not None:
        return redirect(url_for("jobs.status", background_job_id=job.id))
    if not staged.parsed:
        return redirect(url_for("talent.map_import", token=staged.token))
    choices = {str(match["row"]): {"action": request.form.get(f"action-{match['row']}", ""),
                                   "take": request.form.getlist(f"take-{match['row']}")}
               for match in staged.matches[:imports.SHOWN]}
    imports.decide(staged, choices, request.form.get("default_action", imports.SKIP))
    job = Job(kind=talent_jobs.IMPORT, actor_id=current_user.id, event_id=None,
              total=len(staged.parsed), status=JobStatus.QUEUED,
              params={"token": staged.token, "organisation_id": g.organisation.id,
                      "org_slug": g.organisation.slug})
    db.session.add(job)
    db.session.flush()
    staged.job_id = job.id
    imports.save(_root(), staged)
    db.session.commit()
    job_queue().enqueue(job)
    return redirect(url_for("jobs.status", background_job_id=job.id))
