"""The reminders' periodic work: every minute the job queue's consumer sends the reminders due
then (a pitch a day and an hour before, a live session's device check, a review or a call
closing, a signature waiting), each once (roadshow.reminders.sending), and the funnel digest of
each organizer whose clock shows eight (roadshow.reminders.funnel), and the weekly digest of
each judge with reviews open whose clock shows Monday eight (roadshow.reminders.judge_digest)."""

from __future__ import annotations

import logging
import threading

from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.reminders import notices  # noqa: F401 - registers the reminders' notification kinds
from roadshow.reminders.funnel import send_funnel_digests
from roadshow.reminders.judge_digest import send_judge_digests
from roadshow.reminders.sending import send_due

log = logging.getLogger("roadshow.reminders")

EVERY_MINUTE = "reminders.send_due"

#: reminders are committed (and handed to SMTP) this many at a time
BATCH = 500


#: one run at a time in a worker: a run longer than a minute (thousands due at once) is not
#: joined by the next minute's, which would only race it for the same reminders
_running = threading.Lock()


def run_reminders() -> None:
    if not _running.acquire(blocking=False):
        log.info("the previous minute's reminders are still going out; this run is skipped")
        return
    try:
        send_due(db.session, batch=BATCH)
        send_funnel_digests(db.session)
        send_judge_digests(db.session)
    finally:
        _running.release()


kinds.register_periodic(kinds.Periodic(EVERY_MINUTE, run_reminders, minute="*", hour="*"))
