"""The talent pool's background job: running an import (roadshow.talent.services.imports).

Runs in a job-queue worker (roadshow.jobs). Each batch of rows is committed together with the
job's position (``params["next"]``) and the counts so far, so an import that stopped half-way
(a restart, a failed attempt) resumes with the next row, and the bar shows how far it got.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from roadshow.accounts.models import User
from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.jobs.kinds import JobFailure, Progress
from roadshow.jobs.models import Job
from roadshow.organisations.models import Organisation
from roadshow.talent.services import imports

IMPORT = imports.KIND


def run_import(job: Job, progress: Progress) -> Mapping[str, Any]:
    session = db.session
    params = dict(job.params)
    organisation = session.get(Organisation, params.get("organisation_id", 0))
    actor = session.get(User, job.actor_id) if job.actor_id else None
    root = Path(current_app.config["UPLOAD_FOLDER"])
    staged = (imports.load(root, params.get("token", ""), organisation.id)
              if organisation is not None else None)
    if organisation is None or actor is None or staged is None:
        raise JobFailure("gone", f"import {params.get('token')} of office "
                         f"{params.get('organisation_id')} is gone", retry=False)
    total = len(staged.parsed)
    outcome = imports.Outcome(**params.get("outcome", {}))
    start = int(params.get("next", 0))

    def step(next_index: int, so_far: imports.Outcome) -> None:
        job.params = {**job.params, "next": next_index, "outcome": so_far.as_dict()}
        progress(next_index, total)  # commits the batch with the position

    progress(start, total)
    imports.run(session, staged, actor, organisation, start, outcome, step)
    session.commit()
    imports.discard(root, staged.token)
    return {**outcome.as_dict(), "org_slug": organisation.slug, "filename": staged.filename}


kinds.register(kinds.Kind(
    name=IMPORT, handler=run_import, title=_l("Importing people into the talent pool"),
    summary_template="talent/imports_job_summary.html", back_endpoint="talent.people", retries=2,
))
