"""What the talent pool learns from signing (issue 14), registered when this module loads (the
signing views import it); talent, an earlier layer, imports nothing of signing.

- Retention: a person who is a party of a sealed intent of cooperation (its applicant or one of
  its signers) in the office's events keeps a minimal record when they are erased from the pool.
- Activity: a person's page in the pool lists their intents in the office's events, sealed or
  not.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from roadshow.applications.models import Application
from roadshow.events.models import Event
from roadshow.i18n import localized
from roadshow.scoping import unscoped
from roadshow.signing.labels import state_label
from roadshow.signing.models import Intent, Signer
from roadshow.talent import activity, retention

SEALED_INTENT = "sealed_intent"
ONE_OFFICE = "a person's intents in one office's events (the talent pool)"


def _party(user_id: int) -> ColumnElement[bool]:
    return or_(Application.applicant_id == user_id,
               Intent.id.in_(select(Signer.intent_id).where(Signer.user_id == user_id)))


def party_of_sealed_intent(session: Session, person: Any) -> bool:
    """Whether ``person``'s account is a party of a sealed intent in their office's events."""
    if person.user_id is None:
        return False
    return session.scalar(unscoped(
        select(Intent.id).join(Application, Application.id == Intent.application_id)
        .join(Event, Event.id == Application.event_id)
        .where(Event.organisation_id == person.organisation_id, Intent.sealed_at.is_not(None),
               _party(person.user_id)).limit(1), ONE_OFFICE)) is not None


def intents_in_office(session: Session, user_id: int, organisation_id: int) -> list[activity.Row]:
    """The account's intents in the office's events, sealed or not, newest first."""
    found = session.execute(unscoped(
        select(Intent, Event).join(Application, Application.id == Intent.application_id)
        .join(Event, Event.id == Application.event_id)
        .where(Event.organisation_id == organisation_id, _party(user_id))
        .order_by(Intent.created_at.desc(), Intent.id.desc()), ONE_OFFICE)).all()
    return [activity.Row(
        kind=str(_l("Intent of cooperation")),
        title=f"{localized(event, 'title')}: {intent.reference}", status=state_label(intent.state),
        url=url_for("signing.view_intent", event_slug=event.slug, intent_id=intent.id),
        when=intent.sealed_at or intent.created_at, done=intent.sealed_at is not None)
        for intent, event in found]


retention.register(SEALED_INTENT, _l("the account is a party of a sealed intent of cooperation "
                                     "in one of the office's events, which must be kept with "
                                     "its parties."), party_of_sealed_intent)
activity.register("intents", intents_in_office)
