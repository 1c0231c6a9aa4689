"""The outcomes' periodic work: every day at 09:00 China time (01:00 UTC) the job queue's
consumer reminds the responsible unit of each newly overdue milestone, once (the same run as
``roadshow outcomes remind``)."""

from __future__ import annotations

import logging

from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.outcomes.reminders import remind_overdue

log = logging.getLogger("roadshow.outcomes")

DAILY_REMINDERS = "outcomes.remind_overdue"


def run_reminders() -> None:
    sent = remind_overdue(db.session)
    db.session.commit()
    log.info("%d overdue-milestone reminder(s) sent", sent)


kinds.register_periodic(kinds.Periodic(DAILY_REMINDERS, run_reminders, minute="0", hour="1"))
