"""Who holds which role where (issue 13, docs/design/many-events.md §1 "Who holds what").

Pure: the facts come in as plain values (``organisations.grants`` loads them from the rows),
roles go out as their names, which equal ``roadshow.accounts.roles.Role``'s values (a
``StrEnum``, so ``"judge" == Role.JUDGE``). Tested with hypothesis in
tests/organisations/test_grants.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ORGANIZER = "organizer"
JUDGE = "judge"
RECRUITER = "recruiter"
APPLICANT = "applicant"
ADMIN = "admin"
#: an officer (head, deputy or officer) of one of an office's liaison stations (issue 14)
STATION = "station"

#: roles that make someone staff of an event; staff never apply to it
STAFF = frozenset({ORGANIZER, JUDGE, RECRUITER})


@dataclass(frozen=True)
class EventFacts:
    """What decides a signed-in person's roles in one event."""

    #: an ``organizer`` member of the event's organisation
    organises_host: bool = False
    #: the roles of their ``event_roles`` rows in this event
    event_role_rows: frozenset[str] = frozenset()
    #: the event is joint (has an alliance) and an unrevoked ``joint_event`` share of it exists
    shared_as_joint_event: bool = False
    #: they organise an organisation that is a current member of the event's alliance
    organises_alliance_member: bool = False
    #: ``users.is_platform_admin``
    platform_admin: bool = False


def event_roles(facts: EventFacts) -> frozenset[str]:
    """The roles a signed-in person holds in one event.

    ORGANIZER: organizer of the host office, an event organizer row, or, for a joint event
    shared as such, organizer of a current member office. JUDGE / RECRUITER: their rows.
    APPLICANT: anyone signed in who holds no staff role here. ADMIN: platform administrators
    (it opens platform pages only)."""
    roles = set(facts.event_role_rows & STAFF)
    if facts.organises_host:
        roles.add(ORGANIZER)
    if facts.shared_as_joint_event and facts.organises_alliance_member:
        roles.add(ORGANIZER)
    if not roles:
        roles.add(APPLICANT)
    if facts.platform_admin:
        roles.add(ADMIN)
    return frozenset(roles)


def may_see_event(roles: Iterable[str], published: bool) -> bool:
    """An unpublished event exists only for its staff."""
    return published or bool(STAFF & frozenset(roles))


def organisation_roles(*, organises: bool, recruits_in_an_event: bool,
                       platform_admin: bool, station_officer: bool = False) -> frozenset[str]:
    """Roles on an office's pages: ORGANIZER for its organizers, RECRUITER for whoever recruits
    in one of its events (the district pages), STATION for whoever holds a current appointment
    to one of its liaison stations (the talent pool), ADMIN for platform administrators."""
    roles = set()
    if organises:
        roles.add(ORGANIZER)
    if recruits_in_an_event:
        roles.add(RECRUITER)
    if station_officer:
        roles.add(STATION)
    if platform_admin:
        roles.add(ADMIN)
    return frozenset(roles)


def alliance_roles(*, organises_a_current_member: bool, platform_admin: bool) -> frozenset[str]:
    """Roles on an alliance's pages: ORGANIZER for organizers of a current member office."""
    roles = set()
    if organises_a_current_member:
        roles.add(ORGANIZER)
    if platform_admin:
        roles.add(ADMIN)
    return frozenset(roles)


def account_roles(*, staff_roles_anywhere: Iterable[str], has_application: bool,
                  platform_admin: bool) -> frozenset[str]:
    """Everything a person holds anywhere: their staff roles in every office and event,
    APPLICANT when they hold no staff role anywhere or have applied somewhere, ADMIN for
    platform administrators. Pages outside any event, office or alliance use these."""
    roles = set(frozenset(staff_roles_anywhere) & STAFF)
    if not roles or has_application:
        roles.add(APPLICANT)
    if platform_admin:
        roles.add(ADMIN)
    return frozenset(roles)
