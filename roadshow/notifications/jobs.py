"""The notifications' periodic work: every hour, the digests of those whose morning it is."""

from __future__ import annotations

import logging

from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.notifications.digest import send_digests

log = logging.getLogger("roadshow.notifications")

HOURLY_DIGESTS = "notifications.digests"


def run_digests() -> None:
    sent = send_digests(db.session)
    db.session.commit()
    log.info("%d notification digest(s) sent", sent)


kinds.register_periodic(kinds.Periodic(HOURLY_DIGESTS, run_digests, minute="5", hour="*"))
