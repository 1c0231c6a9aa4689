"""What a person holds in an event, an office, an alliance or across their account (issue 13).

Each function loads the rows that decide it (one or two indexed queries) and asks the pure
:mod:`roadshow.organisations.rules`. Views and services take the :class:`Grant` where they read
``users.role`` before; ``roadshow.access.current_grant()`` gives the one of the page's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import column, exists, or_, select, table
from sqlalchemy.orm import Session

from roadshow.accounts.roles import Role
from roadshow.organisations import rules
from roadshow.organisations.models import (
    AllianceMember,
    AllianceShare,
    EventRole,
    EventRoleKind,
    OrganisationMember,
    OrganisationRole,
    ShareKind,
)
from roadshow.scoping import unscoped

#: applications belong to a later layer; whether someone applied anywhere is read from the
#: table by name (a person's own rows, so no event scope applies)
_applications = table("applications", column("applicant_id"))
#: the talent pool's liaison stations sit in a later layer (issue 14): whether someone holds a
#: current appointment to one of an office's stations is read from the tables by name
_stations = table("talent_stations", column("id"), column("organisation_id"))
_station_members = table("talent_station_members", column("station_id"), column("user_id"),
                         column("ended_on"))


@dataclass(frozen=True)
class Grant:
    """The roles a person holds in one scope, with a recruiter's districts there."""

    roles: frozenset[Role] = frozenset()
    district_ids: frozenset[int] = frozenset()
    event_id: int | None = None
    organisation_id: int | None = None
    #: the event is archived: everything may be read, nothing changed
    read_only: bool = False

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & {Role.ORGANIZER, Role.JUDGE, Role.RECRUITER})


NOBODY = Grant()


def _roles(names: frozenset[str]) -> frozenset[Role]:
    return frozenset(Role(name) for name in names)


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and user.id is not None


def _organised_organisation_ids(session: Session, user_id: int) -> set[int]:
    return set(session.scalars(
        select(OrganisationMember.organisation_id).where(
            OrganisationMember.user_id == user_id,
            OrganisationMember.role == OrganisationRole.ORGANIZER,
        )))


def in_event(session: Session, user: Any, event: Any) -> Grant:
    """``user``'s grant in ``event`` (see rules.event_roles)."""
    return in_events(session, user, [event])[event.id]


def in_events(session: Session, user: Any, events: list[Any]) -> dict[int, Grant]:
    """``user``'s grant in each of ``events``, by event id: three queries for any number of
    events (a dashboard lists every event a person holds a role in)."""
    if not _signed_in(user):
        return {event.id: Grant(event_id=event.id, organisation_id=event.organisation_id,
                                read_only=event.archived_at is not None) for event in events}
    ids = [event.id for event in events]
    rows_by_event: dict[int, list[tuple[Any, int | None]]] = {event_id: [] for event_id in ids}
    if ids:
        for event_id, role, district in session.execute(
                select(EventRole.event_id, EventRole.role, EventRole.district_id).where(
                    EventRole.event_id.in_(ids), EventRole.user_id == user.id)):
            rows_by_event[event_id].append((role, district))
    organised = _organised_organisation_ids(session, user.id)
    joint_ids: set[int] = set()
    allied = [event for event in events if event.alliance_id is not None]
    if allied and organised:
        shared = session.execute(
            select(AllianceShare.event_id, AllianceShare.alliance_id).where(
                AllianceShare.event_id.in_([event.id for event in allied]),
                AllianceShare.kind == ShareKind.JOINT_EVENT,
                AllianceShare.revoked_at.is_(None),
                exists().where(
                    AllianceMember.alliance_id == AllianceShare.alliance_id,
                    AllianceMember.organisation_id.in_(organised),
                    AllianceMember.left_at.is_(None)))).all()
        alliance_of = {event.id: event.alliance_id for event in allied}
        joint_ids = {event_id for event_id, alliance_id in shared
                     if alliance_of.get(event_id) == alliance_id}
    grants: dict[int, Grant] = {}
    for event in events:
        rows = rows_by_event[event.id]
        joint = event.id in joint_ids
        facts = rules.EventFacts(
            organises_host=event.organisation_id in organised,
            event_role_rows=frozenset(str(role.value) for role, _district in rows),
            shared_as_joint_event=joint,
            organises_alliance_member=joint,
            platform_admin=bool(user.is_platform_admin),
        )
        districts = frozenset(district for role, district in rows
                              if role == EventRoleKind.RECRUITER and district is not None)
        grants[event.id] = Grant(roles=_roles(rules.event_roles(facts)), district_ids=districts,
                                 event_id=event.id, organisation_id=event.organisation_id,
                                 read_only=event.archived_at is not None)
    return grants


def in_organisation(session: Session, user: Any, organisation: Any) -> Grant:
    """``user``'s grant on ``organisation``'s pages: ORGANIZER if they organise it, RECRUITER
    if they recruit in one of its events (with those districts), STATION if they hold a
    current appointment to one of its liaison stations (one that ended today or before
    no longer counts)."""
    if not _signed_in(user):
        return Grant(organisation_id=organisation.id)
    organises = bool(session.scalar(select(exists().where(
        OrganisationMember.organisation_id == organisation.id,
        OrganisationMember.user_id == user.id,
        OrganisationMember.role == OrganisationRole.ORGANIZER,
    ))))
    # events belong to a later layer: reach them through the event role's relationship target
    event_table = EventRole.__mapper__.relationships["event"].mapper.local_table
    districts = session.execute(
        select(EventRole.district_id)
        .join(event_table, event_table.c.id == EventRole.event_id)
        .where(EventRole.user_id == user.id, EventRole.role == EventRoleKind.RECRUITER,
               event_table.c.organisation_id == organisation.id)).scalars().all()
    today = datetime.now(UTC).date()
    station_officer = bool(session.scalar(select(exists().where(
        _station_members.c.user_id == user.id,
        _station_members.c.station_id == _stations.c.id,
        _stations.c.organisation_id == organisation.id,
        or_(_station_members.c.ended_on.is_(None), _station_members.c.ended_on > today)))))
    roles = rules.organisation_roles(organises=organises, recruits_in_an_event=bool(districts),
                                     platform_admin=bool(user.is_platform_admin),
                                     station_officer=station_officer)
    return Grant(roles=_roles(roles),
                 district_ids=frozenset(d for d in districts if d is not None),
                 organisation_id=organisation.id)


def in_alliance(session: Session, user: Any, alliance: Any) -> Grant:
    """``user``'s grant on ``alliance``'s pages: ORGANIZER if they organise a current member."""
    if not _signed_in(user):
        return NOBODY
    organises = bool(session.scalar(select(exists().where(
        AllianceMember.alliance_id == alliance.id,
        AllianceMember.left_at.is_(None),
        AllianceMember.organisation_id == OrganisationMember.organisation_id,
        OrganisationMember.user_id == user.id,
        OrganisationMember.role == OrganisationRole.ORGANIZER,
    ))))
    return Grant(roles=_roles(rules.alliance_roles(
        organises_a_current_member=organises, platform_admin=bool(user.is_platform_admin))))


def on_account(session: Session, user: Any) -> Grant:
    """Everything ``user`` holds anywhere (pages outside any event, office or alliance)."""
    if not _signed_in(user):
        return NOBODY
    rows = session.execute(select(EventRole.role, EventRole.district_id)
                           .where(EventRole.user_id == user.id).distinct()).all()
    roles_anywhere = {str(role.value) for role, _district in rows}
    if _organised_organisation_ids(session, user.id):
        roles_anywhere.add(rules.ORGANIZER)
    districts = frozenset(district for role, district in rows
                          if role == EventRoleKind.RECRUITER and district is not None)
    has_application = bool(session.scalar(unscoped(select(exists().where(
        _applications.c.applicant_id == user.id)), "whether a person applied to any event")))
    roles = rules.account_roles(staff_roles_anywhere=roles_anywhere,
                                has_application=has_application,
                                platform_admin=bool(user.is_platform_admin))
    return Grant(roles=_roles(roles), district_ids=districts)
