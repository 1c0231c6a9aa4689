"""What the digests sent on a clock (the organizers' daily funnel, the judges' weekly open
reviews) share: which people already have this period's, and sending each on their own commit
so that one person's failure leaves the others' sent."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.notifications.models import Notification

log = logging.getLogger("roadshow.reminders")

Person = TypeVar("Person")


def already_sent(session: Session, keys: Mapping[int, str]) -> set[tuple[int, str]]:
    """The (user id, dedupe key) pairs among ``keys`` (user id -> this period's key) that a
    notification already carries."""
    if not keys:
        return set()
    return {(user_id, key) for user_id, key in session.execute(
        select(Notification.user_id, Notification.dedupe_key).where(
            Notification.user_id.in_(list(keys)), Notification.dedupe_key.in_(set(keys.values()))))
        if keys.get(user_id) == key}


def send_each(session: Session, people: Iterable[Person], send: Callable[[Person], bool],
              what: str) -> int:
    """``send(person)`` for each, committed one by one (the mail goes out at the commit); a
    person whose sending raises is rolled back, logged and left out. Returns how many went."""
    sent = 0
    for person in people:
        try:
            if send(person):
                session.commit()
                sent += 1
        except Exception:  # noqa: BLE001 - one person's failure must not stop the others
            session.rollback()
            log.exception("the %s of user %s failed; it is left out", what,
                          getattr(person, "id", person))
    if sent:
        log.info("%d %s(s) sent", sent, what)
    return sent
