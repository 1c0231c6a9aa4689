"""A background job that failed for good tells the person who started it and the platform's
administrators (issue 17: "jobs that failed"), in the app and by mail, with the reason in the
reader's language and a link to the job's page. Loaded with the job modules
(``roadshow.JOB_MODULES``), it adds itself to the jobs' failure watchers."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.i18n import ZH
from roadshow.jobs import kinds as job_kinds
from roadshow.jobs import services as job_services
from roadshow.jobs.messages import failure_message
from roadshow.jobs.models import Job
from roadshow.notifications import kinds
from roadshow.notifications.services import notify, page

FAILED = kinds.register(kinds.NotificationKind(
    "job_failed", _l("Background work that failed"),
    _l("“%(job)s” stopped: %(reason)s"), audience="organizer"))


def words_of(job: Job) -> dict[str, str]:
    kind = job_kinds.get(job.kind)
    words = {}
    for locale, suffix in ((ZH, "zh"), ("en", "en")):
        with force_locale(locale):
            words[f"job_{suffix}"] = str(kind.title) if kind is not None and kind.title \
                else job.kind
            words[f"reason_{suffix}"] = failure_message(job.error_key)
    return words


def tell(session: Session, job: Job) -> int:
    """Tell the job's starter and the platform's administrators; returns how many."""
    people = {user.id: user for user in session.scalars(select(User).where(
        User.is_platform_admin.is_(True), User.active.is_(True)))}
    actor = session.get(User, job.actor_id) if job.actor_id else None
    if actor is not None and actor.active:
        people[actor.id] = actor
    url = page("jobs.status", background_job_id=job.id)
    words = words_of(job)
    told = 0
    for person in people.values():
        made = notify(session, person, FAILED.name, url=url, params=words, event_id=job.event_id,
                      dedupe_key=f"job_failed:{job.id}", email_template="notifications/mail/job_failed",
                      email_context={"person": person, "job": job, "url": url, "words": words},
                      now=job.finished_at)
        told += made is not None
    return told


job_services.FAILURE_WATCHERS.append(tell)
