"""Consent to the pool: given with its wording and version, withdrawn by the person.

Withdrawal sets ``withdrawn_at`` on every open consent of the record and on the record itself,
so :func:`roadshow.talent.services.people.active` leaves it out of every page, search, export
and count; a ``talent_changes`` row says when and by whom.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.talent.consent import pool_wording
from roadshow.talent.models import Change, ChangeReason, Consent, Person


def give(session: Session, person: Person, organisation: Any, via: str) -> Consent:
    """``person`` agrees to ``organisation``'s pool wording, now."""
    wording = pool_wording(organisation.name_zh, organisation.name_en)
    consent = Consent(person_id=person.id, purpose=wording.purpose, version=wording.version,
                      wording_zh=wording.zh, wording_en=wording.en, given_at=utcnow(),
                      given_via=via)
    session.add(consent)
    session.flush()
    return consent


def withdraw(session: Session, actor: Any, person: Person) -> None:
    """``person`` withdraws: their consents and their record are marked withdrawn now."""
    if person.withdrawn_at is not None:
        return
    now = utcnow()
    for consent in person.consents:
        if consent.withdrawn_at is None:
            consent.withdrawn_at = now
    person.withdrawn_at = now
    session.add(Change(person_id=person.id, changed_by_id=getattr(actor, "id", None),
                       changed_at=now, field="withdrawn_at", old_value=None,
                       new_value=now.isoformat(), reason=ChangeReason.WITHDRAWAL.value))
    session.flush()


def rejoin(session: Session, actor: Any, person: Person) -> None:
    """``person``, withdrawn, takes their record back into the pool (they give consent again
    with :func:`give`); a ``talent_changes`` row says when and by whom."""
    if person.withdrawn_at is None:
        return
    now = utcnow()
    session.add(Change(person_id=person.id, changed_by_id=getattr(actor, "id", None),
                       changed_at=now, field="withdrawn_at",
                       old_value=person.withdrawn_at.isoformat(), new_value=None,
                       reason=ChangeReason.EDIT.value))
    person.withdrawn_at = None
    person.updated_at = now
    session.flush()
