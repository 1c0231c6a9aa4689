"""The accounts' background job: sending an event's invitations read from a file
(roadshow.accounts.bulk_invitations), with progress, resuming from the job's position."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from roadshow.accounts import bulk_invitations, directory, services
from roadshow.accounts.models import User
from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.jobs.kinds import JobFailure, Progress
from roadshow.jobs.models import Job

BULK_INVITE = bulk_invitations.KIND


def run_bulk_invitations(job: Job, progress: Progress) -> Mapping[str, Any]:
    session = db.session
    params = dict(job.params)
    organisation_id = int(params.get("organisation_id", 0))
    event_id = int(params.get("event_id", 0))
    actor = session.get(User, job.actor_id) if job.actor_id else None
    titles = directory.event_titles(session, organisation_id)
    if actor is None or event_id not in titles:
        raise JobFailure("gone", f"bulk invitations of office {organisation_id} to event "
                         f"{event_id}: gone", retry=False)
    rows = list(params.get("rows", []))
    outcome = bulk_invitations.Outcome(**params.get("outcome", {}))
    start = int(params.get("next", 0))

    def step(next_index: int, so_far: bulk_invitations.Outcome) -> None:
        job.params = {**job.params, "next": next_index, "outcome": so_far.as_dict()}
        progress(next_index, len(rows))  # commits the batch with the position

    progress(start, len(rows))
    district_ids = frozenset(i for i, _name in services.district_options(session, organisation_id))
    config = current_app.config
    bulk_invitations.send(session, actor, event_id, rows, start=start, outcome=outcome, step=step,
                          district_ids=district_ids,
                          max_age_days=config["INVITATION_MAX_AGE_DAYS"],
                          secret_key=config["SECRET_KEY"], base_url=config["PUBLIC_BASE_URL"])
    session.commit()
    _slug, title_zh, title_en = titles[event_id]
    return {**outcome.as_dict(), "org_slug": params.get("org_slug", ""), "event_zh": title_zh,
            "event_en": title_en}


kinds.register(kinds.Kind(
    name=BULK_INVITE, handler=run_bulk_invitations, title=_l("Sending invitations from a file"),
    summary_template="accounts/bulk_job_summary.html", back_endpoint="accounts.invitations",
    retries=2,
))
