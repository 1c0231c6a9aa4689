"""Who may see and do what with an intent, whose turn it is to sign, and whom its changes are
told to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.organisations import grants
from roadshow.organisations.grants import Grant
from roadshow.scoping import scoped
from roadshow.signing import document, flow
from roadshow.signing.flow import IntentState, SignerRole
from roadshow.signing.models import Intent, Signer


def role_label(role: SignerRole) -> tuple[str, str]:
    labels = document.PARTY_LABELS[role.value]
    return labels["zh"], labels["en"]


def is_party(user: User, intent: Intent) -> bool:
    return any(s.user_id == user.id for s in intent.signers) or (
        intent.application.applicant_id == user.id
    )


def grant_of(session: Session, user: User, event: Any) -> Grant:
    """``user``'s grant in ``event``: what services check when they are given only the actor."""
    return grants.in_event(session, user, event)


def can_view(user: User, grant: Grant, intent: Intent) -> bool:
    """``grant`` is the user's grant in the intent's event: its organizers see every intent, a
    recruiter those of their districts there, anyone else only intents they are a party to."""
    if Role.ORGANIZER in grant.roles:
        return True
    if Role.RECRUITER in grant.roles and intent.district_id in grant.district_ids:
        return True
    return is_party(user, intent)


def can_draft_for(grant: Grant, district_id: int | None) -> bool:
    if Role.ORGANIZER in grant.roles:
        return True
    return Role.RECRUITER in grant.roles and district_id is not None and (
        district_id in grant.district_ids
    )


def can_manage(grant: Grant, intent: Intent) -> bool:
    """Edit drafts, send, remind, cancel: the event's organizers, and the district's recruiters
    in that event."""
    return can_draft_for(grant, intent.district_id)


def visible_intents(session: Session, user: User, grant: Grant, event: Any,
                    state: IntentState | None = None,
                    district_id: int | None = None) -> list[Intent]:
    """The intents of ``event`` that ``user`` (holding ``grant`` there) may see."""
    query = select(Intent).options(
        selectinload(Intent.signers).selectinload(Signer.user),
        selectinload(Intent.application).selectinload(Application.applicant),
        selectinload(Intent.district),
    ).order_by(Intent.updated_at.desc(), Intent.id.desc())
    if Role.ORGANIZER in grant.roles:
        if district_id:
            query = query.where(Intent.district_id == district_id)
    elif Role.RECRUITER in grant.roles:
        query = query.where(Intent.district_id.in_(sorted(grant.district_ids)))
    else:
        signer_of = select(Signer.intent_id).where(Signer.user_id == user.id)
        applicant_of = select(Application.id).where(Application.applicant_id == user.id)
        query = query.where(Intent.id.in_(signer_of) | Intent.application_id.in_(applicant_of))
        # an applicant sees their intents once sent, not the district's working drafts
        query = query.where(Intent.state != IntentState.DRAFT)
    if state:
        query = query.where(Intent.state == state)
    return list(session.scalars(scoped(query, event)).unique())


def state_counts(intents: Sequence[Intent]) -> dict[IntentState, int]:
    counts = Counter(i.state for i in intents)
    return {state: counts.get(state, 0) for state in IntentState}


def waiting_on(user: User, intents: Sequence[Intent]) -> list[Intent]:
    """Intents where it is ``user``'s turn to sign."""
    out = []
    for intent in intents:
        try:
            turn_of(intent, user)
        except flow.NotYourTurn:
            continue
        out.append(intent)
    return out


def signer_slots(intent: Intent) -> list[flow.SignerSlot]:
    return [flow.SignerSlot(s.position, s.user_id, s.state) for s in intent.signers]


def turn_of(intent: Intent, user: User) -> Signer:
    """The user's signer row if it is their turn now; raises :class:`flow.NotYourTurn`."""
    state = intent.state
    if state == IntentState.OUT_FOR_SIGNATURE and intent.expires_at and intent.expires_at <= utcnow():
        state = IntentState.EXPIRED
    slot = flow.check_turn(state, intent.ordering, signer_slots(intent), user.id)
    return next(s for s in intent.signers if s.position == slot.position)


def turn_message(reason: str) -> str:
    return {
        "draft": _("This intent is still a draft and cannot be signed yet."),
        "closed": _("Signing of this intent is closed."),
        "not_a_signer": _("You are not one of the signers of this intent."),
        "already_done": _("You have already responded to this intent."),
        "waiting_for_others": _("It is not your turn yet: the parties sign in order, and "
                                "an earlier signer has not signed. You will get an email "
                                "when it is your turn."),
    }.get(reason, _("You cannot sign this intent now."))


def people_to_tell(intent: Intent, exclude: User | None = None) -> list[User]:
    people: dict[int, User] = {}
    for signer in intent.signers:
        people[signer.user_id] = signer.user
    if intent.created_by is not None:
        people[intent.created_by.id] = intent.created_by
    if exclude is not None:
        people.pop(exclude.id, None)
    return list(people.values())
