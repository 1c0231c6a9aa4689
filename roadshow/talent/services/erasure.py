"""Erasing a person from an office's pool, at their request or by an organizer who received it
(by phone, by mail): every personal field of the record is cleared but its id, the summaries
and next steps of its contact log and the values of its history too, its search index row goes,
and ``erased_at`` is set, so :func:`roadshow.talent.services.people.active` leaves it out of
every page, search, export, chart and figure.

When a registered check (``roadshow.talent.retention``) says the record must be kept (the
person is a party of a sealed intent of cooperation), a minimal record stays: its id, its
office, the link to the person's account and ``retained_reason``. Otherwise the link to the
account goes too. A ``talent_changes`` row with reason ``erasure`` says when and by whom,
without the erased values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.talent import retention, search_index
from roadshow.talent.models import Change, ChangeReason, Person

#: the longest note an organizer gives with an erasure (why, how the request came)
NOTE_MAX = 300
#: cleared to None
_NULLED = ("name_zh", "name_en", "gender", "birth_year", "native_code", "degree",
           "recommended_by", "email", "phone", "station_id")
#: cleared to an empty text
_EMPTIED = ("name_pinyin", "residence_country", "residence_city", "employer", "position",
            "title", "school", "field", "languages", "notes")


def erase(session: Session, actor: Any, person: Person, note: str = "") -> Person:
    """Erase ``person``'s record now; ``note`` is the organizer's reason (kept in the history).
    Erasing an erased record changes nothing."""
    if person.erased_at is not None:
        return person
    now = utcnow()
    keep = retention.reason_to_keep(session, person)
    for name in _NULLED:
        setattr(person, name, None)
    for name in _EMPTIED:
        setattr(person, name, "")
    if keep is None:
        person.user_id = None
    person.retained_reason = keep
    person.industries = []
    person.erased_at = now
    person.updated_at = now
    for consent in person.consents:
        if consent.withdrawn_at is None:
            consent.withdrawn_at = now
    for contact in person.contacts:
        contact.summary = ""
        contact.next_step = None
    for change in person.changes:
        change.old_value = None
        change.new_value = None
    session.add(Change(person_id=person.id, changed_by_id=getattr(actor, "id", None),
                       changed_at=now, field="erased_at", old_value=None,
                       new_value=note.strip()[:NOTE_MAX] or None,
                       reason=ChangeReason.ERASURE.value))
    session.flush()
    search_index.forget(session.connection(), person.id)
    return person


def erased_records_of(session: Session, user: Any) -> list[Person]:
    """``user``'s erased records that were kept (linked to their account), to tell them what was
    kept and why."""
    return list(session.scalars(select(Person).where(
        Person.user_id == user.id, Person.erased_at.is_not(None))
        .order_by(Person.erased_at, Person.id)))
