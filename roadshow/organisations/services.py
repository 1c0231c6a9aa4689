"""Offices, their members, per-event roles and alliances: the writes, their checks, and
:func:`owned`, which limits a query to one office's rows (issue 13, docs/design/many-events.md).

Services take the session, the objects and the acting user; they flush but never commit (the
view or command commits once). Errors are :class:`OrganisationError` with a message in the
reader's language and the form field it is about.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select, column, exists, func, or_, select, table, update
from sqlalchemy.orm import Session

from roadshow.accounts.models import Invitation, User
from roadshow.accounts.services import find_user_by_email
from roadshow.accounts.signals import invitation_accepted
from roadshow.accounts.zones import canonical_zones
from roadshow.db import utcnow
from roadshow.organisations.models import (
    Alliance,
    AllianceMember,
    AllianceShare,
    EventRole,
    EventRoleKind,
    Organisation,
    OrganisationKind,
    OrganisationMember,
    OrganisationRole,
    ShareKind,
)

log = logging.getLogger("roadshow.organisations")

#: a slug is the office's or alliance's address (``/o/<slug>/``): lower-case Latin letters,
#: digits and single hyphens
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 60

# later layers' tables, read by name: events and districts sit after this one in the funnel
_events = table("events", column("id"), column("organisation_id"), column("alliance_id"))
_districts = table("districts", column("id"), column("organisation_id"))
_applications = table("applications", column("event_id"), column("applicant_id"))

Stmt = TypeVar("Stmt", bound=Select[Any])


class OrganisationError(ValueError):
    """A refused change; ``field`` names the form field it is about ("" for the whole form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def kind_labels() -> dict[str, str]:
    return {
        OrganisationKind.CITY_OFFICE.value: _("City talent office"),
        OrganisationKind.COUNTY_OFFICE.value: _("County talent office"),
        OrganisationKind.UNIVERSITY_OFFICE.value: _("University talent office"),
    }


def share_labels() -> dict[str, str]:
    return {
        ShareKind.JOINT_EVENT.value: _("Joint event"),
        ShareKind.EVENT_REPORT.value: _("Event report"),
        ShareKind.JUDGE_POOL.value: _("Judge pool"),
    }


# --- checks ------------------------------------------------------------------------------------

def _slug(value: str) -> str:
    slug = value.strip().lower()
    if not slug:
        raise OrganisationError(_("Give a short address (Latin letters, digits and hyphens)."),
                                "slug")
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        raise OrganisationError(
            _("The short address may hold only lower-case Latin letters, digits and single "
              "hyphens, at most %(count)d characters.", count=SLUG_MAX), "slug")
    return slug


def _names(name_zh: str, name_en: str) -> tuple[str, str]:
    zh, en = name_zh.strip(), name_en.strip()
    if not zh:
        raise OrganisationError(_("Give the name in Chinese."), "name_zh")
    if not en:
        raise OrganisationError(_("Give the name in English."), "name_en")
    if len(zh) > 200 or len(en) > 200:
        raise OrganisationError(_("A name may be at most 200 characters long."),
                                "name_zh" if len(zh) > 200 else "name_en")
    return zh, en


def _zone(value: str) -> str:
    if value not in canonical_zones():
        raise OrganisationError(_("Choose a time zone from the list."), "timezone")
    return value


def _kind(value: str) -> OrganisationKind:
    try:
        return OrganisationKind(value)
    except ValueError:
        raise OrganisationError(_("Choose the kind of office from the list."), "kind") from None


# --- organisations -----------------------------------------------------------------------------

@dataclass
class OrganisationData:
    slug: str
    kind: str
    name_zh: str
    name_en: str
    timezone: str


def create_organisation(session: Session, actor: User | None, data: OrganisationData,
                        ) -> Organisation:
    """A new office; its first organizer is added with :func:`add_member`."""
    slug = _slug(data.slug)
    kind = _kind(data.kind)
    name_zh, name_en = _names(data.name_zh, data.name_en)
    zone = _zone(data.timezone)
    if session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        raise OrganisationError(_("Another office already uses this short address."), "slug")
    organisation = Organisation(slug=slug, kind=kind, name_zh=name_zh, name_en=name_en,
                                timezone=zone, created_by=actor)
    session.add(organisation)
    session.flush()
    log.info("organisation %s created by %s", slug, actor.email if actor else "the command line")
    return organisation


def update_organisation(session: Session, actor: User, organisation: Organisation,
                        data: OrganisationData) -> None:
    """The office's settings: names, kind and time zone (the short address stays: it is in
    every link already sent)."""
    organisation.kind = _kind(data.kind)
    organisation.name_zh, organisation.name_en = _names(data.name_zh, data.name_en)
    organisation.timezone = _zone(data.timezone)
    session.flush()
    log.info("organisation %s settings changed by %s", organisation.slug, actor.email)


def organisations_of(session: Session, user: User) -> list[Organisation]:
    """The offices ``user`` organises, by name."""
    return list(session.scalars(
        select(Organisation).join(OrganisationMember)
        .where(OrganisationMember.user_id == user.id,
               OrganisationMember.role == OrganisationRole.ORGANIZER)
        .order_by(Organisation.name_en, Organisation.id)))


def all_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name_en)))


@dataclass(frozen=True)
class EventRef:
    """What this layer needs of an event (the model sits in a later layer)."""

    id: int
    organisation_id: int
    alliance_id: int | None = None


def event_ref(session: Session, event_id: int) -> EventRef | None:
    row = session.execute(select(_events.c.id, _events.c.organisation_id, _events.c.alliance_id)
                          .where(_events.c.id == event_id)).first()
    return EventRef(row.id, row.organisation_id, row.alliance_id) if row else None


def counts_by_organisation(session: Session) -> dict[int, tuple[int, int]]:
    """``{organisation id: (organizers, events)}`` for every office, in two GROUP BY queries."""
    organizers = {organisation_id: count for organisation_id, count in session.execute(
        select(OrganisationMember.organisation_id, func.count())
        .where(OrganisationMember.role == OrganisationRole.ORGANIZER)
        .group_by(OrganisationMember.organisation_id))}
    events = {organisation_id: count for organisation_id, count in session.execute(
        select(_events.c.organisation_id, func.count()).select_from(_events)
        .group_by(_events.c.organisation_id))}
    return {organisation_id: (organizers.get(organisation_id, 0), events.get(organisation_id, 0))
            for organisation_id in set(organizers) | set(events)}


# --- members -----------------------------------------------------------------------------------

def members_of(session: Session, organisation: Organisation) -> list[OrganisationMember]:
    return list(session.scalars(
        select(OrganisationMember).join(User, User.id == OrganisationMember.user_id)
        .where(OrganisationMember.organisation_id == organisation.id)
        .order_by(User.name)))


def add_member(session: Session, actor: User | None, organisation: Organisation, user: User,
               role: OrganisationRole = OrganisationRole.ORGANIZER) -> OrganisationMember:
    """``user`` organises every event of ``organisation`` (an administrator looking into an
    office adds themselves this way; it is logged)."""
    if not user.active:
        raise OrganisationError(_("This account is deactivated."), "email")
    if session.scalar(select(OrganisationMember.id).where(
            OrganisationMember.organisation_id == organisation.id,
            OrganisationMember.user_id == user.id, OrganisationMember.role == role)) is not None:
        raise OrganisationError(_("This person is already an organizer of the office."), "email")
    member = OrganisationMember(organisation=organisation, user=user, role=role,
                                granted_by=actor)
    session.add(member)
    session.flush()
    log.info("%s made %s of %s by %s", user.email, role.value, organisation.slug,
             actor.email if actor else "the command line")
    return member


def add_member_by_email(session: Session, actor: User, organisation: Organisation,
                        email: str) -> OrganisationMember:
    user = find_user_by_email(session, email)
    if user is None:
        raise OrganisationError(
            _("No account uses this address. Invite the person from the office's people page."),
            "email")
    return add_member(session, actor, organisation, user)


def remove_member(session: Session, actor: User, member: OrganisationMember) -> None:
    """Ends the membership; an office keeps at least one organizer."""
    others = session.scalar(
        select(exists().where(OrganisationMember.organisation_id == member.organisation_id,
                              OrganisationMember.role == OrganisationRole.ORGANIZER,
                              OrganisationMember.id != member.id)))
    if member.role == OrganisationRole.ORGANIZER and not others:
        raise OrganisationError(_("An office keeps at least one organizer."))
    log.info("%s no longer %s of organisation %s (by %s)", member.user.email, member.role.value,
             member.organisation_id, actor.email)
    session.delete(member)
    session.flush()


# --- event roles -------------------------------------------------------------------------------

def _district_may_serve(session: Session, event: Any, district_id: int) -> bool:
    """A district of the event's office, or for a joint event of a current alliance member."""
    owner = session.scalar(select(_districts.c.organisation_id)
                           .where(_districts.c.id == district_id))
    if owner is None:
        return False
    if owner == event.organisation_id:
        return True
    return event.alliance_id is not None and session.scalar(select(exists().where(
        AllianceMember.alliance_id == event.alliance_id,
        AllianceMember.organisation_id == owner, AllianceMember.left_at.is_(None)))) is True


def grant_event_role(session: Session, actor: User | None, event: Any, user: User,
                     role: EventRoleKind | str, district_id: int | None = None) -> EventRole:
    """``user`` holds ``role`` in ``event``; a recruiter works for ``district_id``."""
    try:
        role = EventRoleKind(role)
    except ValueError:
        raise OrganisationError(_("Choose a role from the list."), "role") from None
    if role == EventRoleKind.RECRUITER:
        if district_id is None:
            raise OrganisationError(_("Choose the district this recruiter works for."),
                                    "district")
        if not _district_may_serve(session, event, district_id):
            raise OrganisationError(
                _("This district does not belong to the office running the event."), "district")
    else:
        district_id = None
    if session.scalar(select(exists().where(
            _applications.c.event_id == event.id, _applications.c.applicant_id == user.id))):
        raise OrganisationError(
            _("This person applied to the event and cannot also be on its staff."), "email")
    if session.scalar(select(EventRole.id).where(
            EventRole.event_id == event.id, EventRole.user_id == user.id,
            EventRole.role == role)) is not None:
        raise OrganisationError(_("This person already holds this role in the event."), "role")
    row = EventRole(event_id=event.id, user=user, role=role, district_id=district_id,
                    granted_by=actor)
    session.add(row)
    session.flush()
    log.info("%s is %s in event %s (by %s)", user.email, role.value, event.id,
             actor.email if actor else "the command line")
    return row


def revoke_event_role(session: Session, actor: User | None, row: EventRole) -> None:
    log.info("%s no longer %s in event %s (by %s)", row.user.email, row.role.value, row.event_id,
             actor.email if actor else "the command line")
    session.delete(row)
    session.flush()


# --- alliances ---------------------------------------------------------------------------------

@dataclass
class AllianceData:
    slug: str
    name_zh: str
    name_en: str
    organisation_ids: list[int]


def create_alliance(session: Session, actor: User, data: AllianceData) -> Alliance:
    slug = _slug(data.slug)
    name_zh, name_en = _names(data.name_zh, data.name_en)
    if session.scalar(select(Alliance.id).where(Alliance.slug == slug)) is not None:
        raise OrganisationError(_("Another alliance already uses this short address."), "slug")
    chosen = list(session.scalars(select(Organisation).where(
        Organisation.id.in_(set(data.organisation_ids)))))
    if len(chosen) < 2 or len(chosen) != len(set(data.organisation_ids)):
        raise OrganisationError(_("Choose at least two offices."), "organisations")
    alliance = Alliance(slug=slug, name_zh=name_zh, name_en=name_en)
    alliance.members = [AllianceMember(organisation=organisation) for organisation in chosen]
    session.add(alliance)
    session.flush()
    log.info("alliance %s created by %s with %s", slug, actor.email,
             ", ".join(o.slug for o in chosen))
    return alliance


def set_alliance_members(session: Session, actor: User, alliance: Alliance,
                         organisation_ids: list[int]) -> None:
    """The alliance's members from now on: an office left out leaves (its row keeps when it
    joined and left), a new one joins, one that left joins again."""
    wanted = set(organisation_ids)
    known = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted))))
    if len(known) < 2 or known != wanted:
        raise OrganisationError(_("Choose at least two offices."), "organisations")
    now = utcnow()
    rows = {row.organisation_id: row for row in alliance.members}
    for organisation_id, row in rows.items():
        if organisation_id not in wanted and row.left_at is None:
            row.left_at = now
        elif organisation_id in wanted and row.left_at is not None:
            row.joined_at, row.left_at = now, None
    for organisation_id in wanted - set(rows):
        alliance.members.append(AllianceMember(organisation_id=organisation_id, joined_at=now))
    session.flush()
    log.info("alliance %s members set by %s: %s", alliance.slug, actor.email,
             sorted(wanted))


def all_alliances(session: Session) -> list[Alliance]:
    return list(session.scalars(select(Alliance).order_by(Alliance.name_en)))


def current_members(session: Session, alliance: Alliance) -> list[Organisation]:
    return list(session.scalars(
        select(Organisation).join(AllianceMember)
        .where(AllianceMember.alliance_id == alliance.id, AllianceMember.left_at.is_(None))
        .order_by(Organisation.name_en)))


def alliances_of(session: Session, organisation: Organisation) -> list[Alliance]:
    """The alliances ``organisation`` currently belongs to."""
    return list(session.scalars(
        select(Alliance).join(AllianceMember)
        .where(AllianceMember.organisation_id == organisation.id,
               AllianceMember.left_at.is_(None))
        .order_by(Alliance.name_en)))


def is_current_member(session: Session, alliance: Alliance, organisation: Organisation) -> bool:
    return session.scalar(select(exists().where(
        AllianceMember.alliance_id == alliance.id,
        AllianceMember.organisation_id == organisation.id,
        AllianceMember.left_at.is_(None)))) is True


def share(session: Session, actor: User, alliance: Alliance, organisation: Organisation,
          kind: ShareKind | str, event: Any = None) -> AllianceShare:
    """``organisation`` shares ``kind`` (of ``event``) with the other members of ``alliance``;
    sharing again what was revoked shares it anew."""
    try:
        kind = ShareKind(kind)
    except ValueError:
        raise OrganisationError(_("Choose what to share from the list."), "kind") from None
    if not is_current_member(session, alliance, organisation):
        raise OrganisationError(_("The office is not a member of this alliance."))
    if kind == ShareKind.JUDGE_POOL:
        event = None
    elif event is None:
        raise OrganisationError(_("Choose the event to share."), "event")
    elif event.organisation_id != organisation.id:
        raise OrganisationError(_("Only the office running an event may share it."), "event")
    event_id = event.id if event is not None else None
    existing = session.scalar(select(AllianceShare).where(
        AllianceShare.alliance_id == alliance.id,
        AllianceShare.organisation_id == organisation.id, AllianceShare.kind == kind,
        AllianceShare.event_id.is_(None) if event_id is None
        else AllianceShare.event_id == event_id))
    if existing is not None and existing.revoked_at is None:
        raise OrganisationError(_("This is shared with the alliance already."), "kind")
    if existing is not None:
        existing.revoked_at = None
        existing.created_at = utcnow()
        existing.created_by = actor
        row = existing
    else:
        row = AllianceShare(alliance=alliance, organisation=organisation, kind=kind,
                            event_id=event_id, created_by=actor)
        session.add(row)
    if kind == ShareKind.JOINT_EVENT and event is not None:
        # the event becomes the alliance's joint event (an Event, or an EventRef of one)
        session.execute(update(_events).where(_events.c.id == event_id)
                        .values(alliance_id=alliance.id))
        if hasattr(event, "_sa_instance_state"):
            session.expire(event, ["alliance_id"])
    session.flush()
    log.info("%s shares %s%s with alliance %s (by %s)", organisation.slug, kind.value,
             f" of event {event_id}" if event_id else "", alliance.slug, actor.email)
    return row


def revoke_share(session: Session, actor: User, row: AllianceShare) -> None:
    """Ends a share; the row stays listed with the moment it ended."""
    if row.revoked_at is not None:
        raise OrganisationError(_("This share was already revoked."))
    row.revoked_at = utcnow()
    session.flush()
    log.info("share %s (%s) revoked by %s", row.id, row.kind.value, actor.email)


def shares_of(session: Session, alliance: Alliance) -> list[AllianceShare]:
    """Every share row, current first, newest first within each."""
    return list(session.scalars(
        select(AllianceShare).where(AllianceShare.alliance_id == alliance.id)
        .order_by(AllianceShare.revoked_at.is_not(None), AllianceShare.created_at.desc(),
                  AllianceShare.id.desc())))


# --- the platform administrator -----------------------------------------------------------------

def set_platform_admin(session: Session, user: User, on: bool) -> bool:
    """Makes ``user`` a platform administrator or not; answers whether anything changed."""
    if user.is_platform_admin == on:
        return False
    user.is_platform_admin = on
    session.flush()
    log.info("%s %s platform administrator", user.email, "is now" if on else "is no longer")
    return True


# --- one office's rows -------------------------------------------------------------------------

def people_clause(organisation: Organisation) -> Any:
    """``users.id`` is a person of the office: a member, staff of one of its events, or an
    applicant to one of them."""
    events_of = select(_events.c.id).where(_events.c.organisation_id == organisation.id)
    return or_(
        User.id.in_(select(OrganisationMember.user_id)
                    .where(OrganisationMember.organisation_id == organisation.id)),
        User.id.in_(select(EventRole.user_id).where(EventRole.event_id.in_(events_of))),
        User.id.in_(select(_applications.c.applicant_id)
                    .where(_applications.c.event_id.in_(events_of))),
    )


def owned(stmt: Stmt, organisation: Organisation) -> Stmt:
    """``stmt`` limited to ``organisation``'s rows, for every office-owned table in its FROM
    list: events and districts by their office, invitations by the office or one of its events,
    users to the office's people (:func:`people_clause`)."""
    events_of = select(_events.c.id).where(_events.c.organisation_id == organisation.id)
    names = {getattr(from_, "name", None) for from_ in _froms(stmt)}
    for name in ("events", "districts"):
        if name in names:
            stmt = stmt.where(_table_named(stmt, name).c.organisation_id == organisation.id)
    if "invitations" in names:
        stmt = stmt.where(or_(Invitation.organisation_id == organisation.id,
                              Invitation.event_id.in_(events_of)))
    if "users" in names:
        stmt = stmt.where(people_clause(organisation))
    return stmt


def _froms(stmt: Select[Any]) -> list[Any]:
    found: list[Any] = []

    def walk(from_: Any) -> None:
        left, right = getattr(from_, "left", None), getattr(from_, "right", None)
        if left is not None and right is not None:
            walk(left)
            walk(right)
        else:
            found.append(from_)

    for from_ in stmt.get_final_froms():
        walk(from_)
    return found


def _table_named(stmt: Select[Any], name: str) -> Any:
    return next(from_ for from_ in _froms(stmt) if getattr(from_, "name", None) == name)


# --- accepted invitations ----------------------------------------------------------------------

@invitation_accepted.connect
def _grant_invitation(_sender: Any, *, session: Session, invitation: Invitation, user: User,
                      **_extra: Any) -> None:
    """What an accepted invitation names becomes the person's: a membership of the office, or a
    role in the event (a recruiter's with its district). Accounts announce the acceptance (they
    build below organisations); accepting twice what one already holds changes nothing."""
    if invitation.organisation_id is not None:
        if session.scalar(select(OrganisationMember.id).where(
                OrganisationMember.organisation_id == invitation.organisation_id,
                OrganisationMember.user_id == user.id,
                OrganisationMember.role == OrganisationRole.ORGANIZER)) is None:
            add_member(session, invitation.invited_by, invitation.organisation, user)
    elif invitation.event is not None:
        role = EventRoleKind(invitation.role.value)
        if session.scalar(select(EventRole.id).where(
                EventRole.event_id == invitation.event_id, EventRole.user_id == user.id,
                EventRole.role == role)) is None:
            grant_event_role(session, invitation.invited_by, invitation.event, user, role,
                             invitation.district_id)
