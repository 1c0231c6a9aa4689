"""Who holds what in an organisation and its events, for the people pages.

An organisation's people are its members (organizers), whoever holds a role in one of its events
(event organizers, judges, recruiters with their district) and whoever applied to one of its
events. Organisations, events and applications build on accounts, so this reads their tables
through the schema (``User.metadata``) rather than importing them; the applications are read
with :func:`roadshow.scoping.across` over the organisation's events, like every query of an
event-owned table. Granting and revoking go through the organisations domain (signals)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, Table, delete, func, or_, select, union
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.scoping import across

#: the roles an organisation's people hold, in the order the page lists them
ORGANISATION_ROLES = (Role.ORGANIZER, Role.JUDGE, Role.RECRUITER, Role.APPLICANT)


def _table(name: str) -> Table:
    return User.metadata.tables[name]


def _role(value: Any) -> Role:
    return Role(str(getattr(value, "value", value)))


def event_ids_of(session: Session, organisation_id: int) -> list[int]:
    """The organisation's events (its own; joint events it hosts)."""
    events = _table("events")
    return list(session.scalars(select(events.c.id).where(events.c.organisation_id == organisation_id)
                                .order_by(events.c.id)))


def _holders(organisation_id: int, event_ids: list[int], role: Role | None) -> Select[Any]:
    """The ids of the users who hold ``role`` (any role when None) in the organisation."""
    members, roles = _table("organisation_members"), _table("event_roles")
    applications = _table("applications")
    parts: list[Select[Any]] = []
    if role in (None, Role.ORGANIZER):
        parts.append(select(members.c.user_id).where(members.c.organisation_id == organisation_id))
    if event_ids and role != Role.APPLICANT:
        staff = select(roles.c.user_id).where(roles.c.event_id.in_(event_ids))
        if role is not None:
            staff = staff.where(roles.c.role == role.value)
        parts.append(staff)
    if event_ids and role in (None, Role.APPLICANT):
        parts.append(across(select(applications.c.applicant_id).where(
            applications.c.event_id.in_(event_ids)), event_ids))
    if not parts:
        return select(User.id).where(User.id.is_(None))
    return select(union(*parts).subquery().c[0])


def people(session: Session, *, organisation_id: int, role: Role | None = None, query: str = "",
           page: int = 1, per_page: int = 50) -> tuple[list[User], int]:
    """One page of the organisation's people, filtered by role and a name/email search; and
    the total count."""
    event_ids = event_ids_of(session, organisation_id)
    statement = select(User).where(User.id.in_(_holders(organisation_id, event_ids, role)))
    if query.strip():
        like = f"%{query.strip().lower()}%"
        statement = statement.where(or_(func.lower(User.email).like(like),
                                        func.lower(User.name).like(like),
                                        func.lower(func.coalesce(User.name_native, "")).like(like)))
    total = session.scalar(across(select(func.count()).select_from(statement.subquery()),
                                  event_ids)) or 0
    rows = session.scalars(across(statement.order_by(User.name, User.id)
                                  .limit(per_page).offset((max(page, 1) - 1) * per_page), event_ids))
    return list(rows), total


def role_counts(session: Session, organisation_id: int) -> dict[Role, int]:
    """How many people hold each role in the organisation (one person may count twice)."""
    event_ids = event_ids_of(session, organisation_id)
    return {role: session.scalar(across(select(func.count()).select_from(
        _holders(organisation_id, event_ids, role).subquery()), event_ids)) or 0
        for role in ORGANISATION_ROLES}


@dataclass
class Holding:
    """One role a person holds: in the organisation (``event_id`` None) or in one event."""

    role: Role
    event_id: int | None = None
    event_title_zh: str = ""
    event_title_en: str = ""
    event_slug: str = ""
    district_id: int | None = None
    row_id: int | None = None  # the event_roles row (to revoke); None for a membership


@dataclass
class Holdings:
    by_user: dict[int, list[Holding]] = field(default_factory=lambda: defaultdict(list))

    def of(self, user_id: int) -> list[Holding]:
        return self.by_user.get(user_id, [])


def holdings(session: Session, organisation_id: int, user_ids: Iterable[int]) -> Holdings:
    """What each of ``user_ids`` holds in the organisation and its events (applications count
    as the applicant role of their event)."""
    ids = list(set(user_ids))
    found = Holdings()
    if not ids:
        return found
    members, roles, events = _table("organisation_members"), _table("event_roles"), _table("events")
    applications = _table("applications")
    for user_id, role in session.execute(select(members.c.user_id, members.c.role).where(
            members.c.organisation_id == organisation_id, members.c.user_id.in_(ids))):
        found.by_user[user_id].append(Holding(_role(role)))
    event_columns = (events.c.id, events.c.title_zh, events.c.title_en, events.c.slug)
    for row_id, user_id, role, district_id, *event in session.execute(
            select(roles.c.id, roles.c.user_id, roles.c.role, roles.c.district_id, *event_columns)
            .join(events, events.c.id == roles.c.event_id)
            .where(events.c.organisation_id == organisation_id, roles.c.user_id.in_(ids))
            .order_by(events.c.id.desc(), roles.c.id)):
        found.by_user[user_id].append(Holding(_role(role), event[0], event[1], event[2], event[3],
                                              district_id, row_id))
    event_ids = event_ids_of(session, organisation_id)
    if event_ids:
        for user_id, *event in session.execute(across(
                select(applications.c.applicant_id, *event_columns)
                .join(events, events.c.id == applications.c.event_id)
                .where(applications.c.event_id.in_(event_ids), applications.c.applicant_id.in_(ids))
                .order_by(events.c.id.desc()), event_ids)):
            found.by_user[user_id].append(Holding(Role.APPLICANT, event[0], event[1], event[2], event[3]))
    return found


@dataclass
class EventStaff:
    """A role held in one event, for the event's people page."""

    row_id: int
    user: User
    role: Role
    district_id: int | None


def event_staff(session: Session, event_id: int) -> list[EventStaff]:
    """The event's organizers, judges and recruiters (their event roles), by role then name."""
    roles = _table("event_roles")
    rows = session.execute(select(roles.c.id, roles.c.user_id, roles.c.role, roles.c.district_id)
                           .where(roles.c.event_id == event_id)).all()
    users = {user.id: user for user in session.scalars(
        select(User).where(User.id.in_([row[1] for row in rows])))} if rows else {}
    order = {role: i for i, role in enumerate(ORGANISATION_ROLES)}
    staff = [EventStaff(row_id, users[user_id], _role(role), district_id)
             for row_id, user_id, role, district_id in rows if user_id in users]
    return sorted(staff, key=lambda s: (order.get(s.role, 9), s.user.name, s.user.id))


def event_role_row(session: Session, event_id: int, row_id: int) -> tuple[int, Role] | None:
    """``(user id, role)`` of the event's role row ``row_id``; None for another event's."""
    roles = _table("event_roles")
    row = session.execute(select(roles.c.user_id, roles.c.role).where(
        roles.c.id == row_id, roles.c.event_id == event_id)).first()
    return (row[0], _role(row[1])) if row else None


def is_person_of(session: Session, organisation_id: int, user_id: int) -> bool:
    """Whether the user holds anything in the organisation (its people pages show them)."""
    event_ids = event_ids_of(session, organisation_id)
    holders = _holders(organisation_id, event_ids, None).subquery()
    return bool(session.scalar(across(select(func.count()).select_from(holders)
                                      .where(holders.c[0] == user_id), event_ids)))


@dataclass(frozen=True)
class Target:
    """What an invitation is to, named in both languages: an event (with the office that
    organises it) or an office. ``localized(target, "title")`` and ``"organizer_name"`` read it."""

    kind: str  # "event" or "organisation"
    title_zh: str
    title_en: str
    organizer_name_zh: str
    organizer_name_en: str
    slug: str = ""


def target_of(session: Session, invitation: Any) -> Target | None:
    """The event or the organisation an invitation names (None for an invitation of before
    issue 13, which named neither)."""
    event = invitation.event
    if event is not None:
        office = event.organisation
        return Target("event", event.title_zh or "", event.title_en or "",
                      event.organizer_name_zh or (office.name_zh if office else ""),
                      event.organizer_name_en or (office.name_en if office else ""), event.slug)
    office = invitation.organisation
    if office is not None:
        return Target("organisation", office.name_zh, office.name_en, office.name_zh,
                      office.name_en, office.slug)
    return None


def event_titles(session: Session, organisation_id: int) -> dict[int, tuple[str, str, str]]:
    """``{event id: (slug, title_zh, title_en)}`` of the organisation's events."""
    events = _table("events")
    return {row[0]: (row[1], row[2], row[3]) for row in session.execute(
        select(events.c.id, events.c.slug, events.c.title_zh, events.c.title_en)
        .where(events.c.organisation_id == organisation_id))}


def delete_event_role(session: Session, event_id: int, row_id: int) -> None:
    """Remove one event role row (revoking a judge, a recruiter or an event organizer)."""
    roles = _table("event_roles")
    session.execute(delete(roles).where(roles.c.id == row_id, roles.c.event_id == event_id))
