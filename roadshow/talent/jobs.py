"""The talent pool's background jobs: running an import (roadshow.talent.services.imports) and
sending invitations to an event (roadshow.talent.services.invitations).

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
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.jobs.kinds import JobFailure, Progress
from roadshow.jobs.models import Job
from roadshow.organisations.models import Organisation
from roadshow.talent.services import imports, invitations

IMPORT = imports.KIND
INVITE = invitations.KIND


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


def run_invitations(job: Job, progress: Progress) -> Mapping[str, Any]:
    """Invite ``params["people"]`` to ``params["event_id"]``, a batch at a time; each batch
    commits with the job's position, so a resumed job skips nobody and sends nothing twice."""
    session = db.session
    params = dict(job.params)
    organisation = session.get(Organisation, params.get("organisation_id", 0))
    event = session.get(Event, params.get("event_id", 0))
    actor = session.get(User, job.actor_id) if job.actor_id else None
    if organisation is None or event is None or actor is None:
        raise JobFailure("gone", f"invitations of office {params.get('organisation_id')} to "
                         f"event {params.get('event_id')}: gone", retry=False)
    ids = [int(i) for i in params.get("people", [])]
    outcome = invitations.Outcome(**params.get("outcome", {}))
    start = int(params.get("next", 0))

    def step(next_index: int, so_far: invitations.Outcome) -> None:
        job.params = {**job.params, "next": next_index, "outcome": so_far.as_dict()}
        progress(next_index, len(ids))  # commits the batch with the position

    progress(start, len(ids))
    invitations.send(session, actor, organisation, event, ids, params.get("note", ""), start,
                     outcome, step)
    session.commit()
    return {**outcome.as_dict(), "org_slug": organisation.slug, "event_slug": event.slug,
            "event_zh": event.title_zh, "event_en": event.title_en}


kinds.register(kinds.Kind(
    name=INVITE, handler=run_invitations, title=_l("Sending invitations to an event"),
    summary_template="talent/invitations_job_summary.html", back_endpoint="talent.people",
    retries=2,
))
