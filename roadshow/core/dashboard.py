"""The dashboard per role (issue 13, §4): one card per event where the person holds a role or
has an application, naming their roles there and what to do first.

The events come from three indexed lookups (event roles, the offices they organise with those
offices' joint events, their own applications); the to-dos from each domain's ``todos.py``
(``TODO_MODULES`` in :mod:`roadshow.core.views`), each answering for all the events at once.
Cards with something to do come first, then events under way, then the rest; finished and
archived events fold into "Earlier events".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.districts.models import District
from roadshow.events import services as event_services
from roadshow.events.models import Event
from roadshow.events.states import ACTIVE_STATES
from roadshow.events.todos import Todo, merge, pending_first
from roadshow.organisations import grants as grants_module
from roadshow.organisations.grants import Grant
from roadshow.organisations.models import (
    AllianceMember,
    AllianceShare,
    EventRole,
    Organisation,
    ShareKind,
)
from roadshow.scoping import unscoped

#: a domain's to-do function: ``todos(session, user, grants) -> {event id: [Todo]}``
TodoFunction = Callable[[Session, User, dict[int, Grant]], dict[int, list[Todo]]]

#: the order roles are named on a card
ROLE_ORDER = (Role.ORGANIZER, Role.JUDGE, Role.RECRUITER, Role.APPLICANT)


@dataclass(frozen=True)
class Card:
    event: Event
    grant: Grant
    state: str
    todos: list[Todo]
    #: the districts a recruiter recruits for in this event
    districts: list[District]

    @property
    def roles(self) -> list[Role]:
        return [role for role in ROLE_ORDER if role in self.grant.roles]

    @property
    def pending(self) -> bool:
        return any(todo.pending for todo in self.todos)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES or self.state == "draft"


@dataclass(frozen=True)
class Dashboard:
    organisations: list[Organisation]
    cards: list[Card]
    earlier: list[Card]


def event_ids_of(session: Session, user: User, organisation_ids: Iterable[int]) -> set[int]:
    """Every event where ``user`` holds a role or has an application."""
    ids = set(session.scalars(select(EventRole.event_id).where(EventRole.user_id == user.id)))
    organisation_ids = list(organisation_ids)
    if organisation_ids:
        joint = and_(
            Event.alliance_id.in_(select(AllianceMember.alliance_id).where(
                AllianceMember.organisation_id.in_(organisation_ids), AllianceMember.left_at.is_(None))),
            Event.id.in_(select(AllianceShare.event_id).where(
                AllianceShare.kind == ShareKind.JOINT_EVENT, AllianceShare.revoked_at.is_(None))),
        )
        ids |= set(session.scalars(select(Event.id).where(
            or_(Event.organisation_id.in_(organisation_ids), joint))))
    ids |= set(session.scalars(unscoped(
        select(Application.event_id).where(Application.applicant_id == user.id),
        "a person's own applications in every event (their dashboard)")))
    return ids


def _order(card: Card) -> tuple[int, int, float, int]:
    due = min((t.due_at.timestamp() for t in card.todos if t.pending and t.due_at), default=float("inf"))
    return (0 if card.pending else 1, 0 if card.active else 1, due, -card.event.id)


def build(session: Session, user: User, modules: Sequence[Any], organisations: list[Organisation],
          grants_of: Callable[[list[Event]], dict[int, Grant]] | None = None) -> Dashboard:
    """The person's dashboard: their offices (``organisations``, those they organise), then a
    card per event (see the module's doc)."""
    ids = event_ids_of(session, user, [o.id for o in organisations])
    events = list(session.scalars(
        select(Event).where(Event.id.in_(ids)).options(
            joinedload(Event.organisation), selectinload(Event.phases)))) if ids else []
    grants = (grants_of(events) if grants_of is not None
              else grants_module.in_events(session, user, events))
    grants = {event_id: grant for event_id, grant in grants.items() if grant.roles}
    todos = merge([module.todos(session, user, grants) for module in modules]) if grants else {}
    district_ids = {d for grant in grants.values() for d in grant.district_ids}
    districts = {d.id: d for d in session.scalars(
        select(District).where(District.id.in_(district_ids)))} if district_ids else {}
    cards = [Card(event=event, grant=grants[event.id], state=event_services.state_of(event),
                  todos=pending_first(todos.get(event.id, [])),
                  districts=[districts[d] for d in sorted(grants[event.id].district_ids) if d in districts])
             for event in events if event.id in grants]
    cards.sort(key=_order)
    current = [card for card in cards if card.pending or card.active]
    earlier = [card for card in cards if not (card.pending or card.active)]
    return Dashboard(organisations=organisations, cards=current, earlier=earlier)
