"""What signing asks of a person in each of their events, for the dashboard's cards (issue 13,
§4): the intents waiting for their signature (whatever their role: applicant, a district's
recruiter, the city office's organizer), and for those who draft (the event's organizers, a
recruiter for their districts) the drafts not sent yet.

Two queries over all the person's events at once, never one per event."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.events.todos import Todo
from roadshow.organisations.grants import Grant
from roadshow.scoping import across
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent, Signer
from roadshow.signing.parties_and_turns import waiting_on


def todos(session: Session, user: User, grants: dict[int, Grant]) -> dict[int, list[Todo]]:
    out: dict[int, list[Todo]] = defaultdict(list)
    if not grants:
        return {}
    _to_sign(session, user, list(grants), out)
    drafting = {event_id: grant for event_id, grant in grants.items()
                if grant.roles & {Role.ORGANIZER, Role.RECRUITER}}
    if drafting:
        _drafts(session, drafting, out)
    return dict(out)


def waiting_for(session: Session, user: User, event_ids: list[int]) -> dict[int, list[Intent]]:
    """Per event, the intents out for signature where it is ``user``'s turn now."""
    intents = session.scalars(across(
        select(Intent).join(Signer, Signer.intent_id == Intent.id)
        .where(Signer.user_id == user.id, Intent.state == IntentState.OUT_FOR_SIGNATURE)
        .options(selectinload(Intent.signers), selectinload(Intent.application))
        .order_by(Intent.expires_at, Intent.id), event_ids)).unique().all()
    by_event: dict[int, list[Intent]] = defaultdict(list)
    for intent in waiting_on(user, intents):
        by_event[intent.application.event_id].append(intent)
    return dict(by_event)


def _to_sign(session: Session, user: User, event_ids: list[int],
             out: dict[int, list[Todo]]) -> None:
    for event_id, intents in waiting_for(session, user, event_ids).items():
        due = [i.expires_at for i in intents if i.expires_at is not None]
        count = len(intents)
        label = ngettext("%(num)d intent waits for your signature",
                         "%(num)d intents wait for your signature", count)
        if count == 1:
            out[event_id].append(Todo("intents_to_sign", count, label, "signing.sign_intent",
                                      due_at=min(due) if due else None,
                                      url_values={"intent_id": intents[0].id}))
        else:
            out[event_id].append(Todo("intents_to_sign", count, label, "signing.board",
                                      due_at=min(due) if due else None))


def _drafts(session: Session, grants: dict[int, Grant], out: dict[int, list[Todo]]) -> None:
    rows = session.execute(across(
        select(Application.event_id, Intent.district_id, func.count(Intent.id))
        .join(Application, Application.id == Intent.application_id)
        .where(Intent.state == IntentState.DRAFT)
        .group_by(Application.event_id, Intent.district_id), list(grants))).all()
    counts: dict[int, int] = defaultdict(int)
    for event_id, district_id, count in rows:
        grant = grants[event_id]
        if Role.ORGANIZER in grant.roles or district_id in grant.district_ids:
            counts[event_id] += count
    for event_id, count in counts.items():
        out[event_id].append(Todo(
            "intent_drafts", count,
            ngettext("%(num)d draft intent not sent for signing yet",
                     "%(num)d draft intents not sent for signing yet", count),
            "signing.board", url_values={"state": IntentState.DRAFT.value}))
