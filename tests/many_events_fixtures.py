"""Offices, events, roles and alliances for tests (issue 13, docs/design/many-events.md §7).

Loaded for every test through ``pytest_plugins`` in tests/conftest.py.

**The default test organisation.** Tests written before issue 13 make events, districts and
people without naming an office. While a test runs, a ``before_flush`` listener keeps their
meaning:

- an event or a district flushed without an organisation belongs to the default one
  (:data:`DEFAULT_ORGANISATION_SLUG`, created on first need);
- an organizer made with ``make_user`` becomes an organizer member of it;
- a judge or recruiter made with ``make_user`` gets an event role (the recruiter with their
  district) in every event of the default organisation, those that exist and those made later
  in the test.

So "the organizer", "the judge" and "the recruiter" of an old test hold in its event what their
global role gave them before. People made otherwise (registration, invitations, the demo) and
events of a named office get nothing from it. ``@pytest.mark.no_default_organisation`` turns
the listener off for a test.

New tests build their world explicitly: :func:`make_organisation`, :func:`make_event`,
:func:`grant`, :func:`make_alliance`, and :func:`event_url` for paths under ``/e/<slug>``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.kinds import default_stages
from roadshow.events.models import Event, EventPhase, PhaseKind
from roadshow.extensions import db as _db
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

DEFAULT_ORGANISATION_SLUG = "test-office"
DEFAULT_ORGANISATION_NAMES = ("测试人才办", "Test Talent Office")

#: the phases of an event in order, and "finished" after the last
PHASES = ("call", "review", "roadshow", "signing", "finished")
PHASE_DAYS = 10


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "no_default_organisation: events, districts and people made without an "
        "office stay without one (tests/many_events_fixtures.py)")


# --- the default test organisation -------------------------------------------------------------

@dataclass
class _Adopted:
    user: User
    role: Role
    district: District | None


@dataclass
class _DefaultWorld:
    """This test's people made by make_user, and which of them the listener has placed."""

    adopted: list[_Adopted] = field(default_factory=list)
    placed: list[_Adopted] = field(default_factory=list)


_world: list[_DefaultWorld] = []


def adopt(user: User) -> None:
    """Called by ``make_user``: place ``user`` in the default organisation when flushed."""
    if _world:
        _world[0].adopted.append(_Adopted(user, Role(user.role), user.district))


def _ref(name: str, obj: Any) -> dict[str, Any]:
    """``{name_id: id}`` for a row already stored, ``{name: obj}`` for one still pending."""
    identity = inspect(obj).identity
    return {f"{name}_id": identity[0]} if identity else {name: obj}


def _find_default_organisation(session: Session) -> Organisation | None:
    for obj in session.new:
        if isinstance(obj, Organisation) and obj.slug == DEFAULT_ORGANISATION_SLUG:
            return obj
    return session.scalars(
        select(Organisation).where(Organisation.slug == DEFAULT_ORGANISATION_SLUG)).first()


def _default_organisation(session: Session) -> Organisation:
    found = _find_default_organisation(session)
    if found is not None:
        return found
    zh, en = DEFAULT_ORGANISATION_NAMES
    organisation = Organisation(slug=DEFAULT_ORGANISATION_SLUG, kind=OrganisationKind.CITY_OFFICE,
                                name_zh=zh, name_en=en)
    session.add(organisation)
    return organisation


def _in_default(event: Event, organisation: Organisation) -> bool:
    if event.organisation is organisation:
        return True
    identity = inspect(organisation).identity
    return identity is not None and event.organisation_id == identity[0]


def _event_role(user_entry: _Adopted, event_ref: dict[str, Any]) -> EventRole:
    district = (_ref("district", user_entry.district)
                if user_entry.role == Role.RECRUITER and user_entry.district is not None else {})
    return EventRole(role=EventRoleKind(user_entry.role.value), **event_ref,
                     **_ref("user", user_entry.user), **district)


def _place_in_default_organisation(session: Session, _context: Any, _instances: Any) -> None:
    if not _world:
        return
    world = _world[0]
    new = list(session.new)
    orphans = [obj for obj in new if isinstance(obj, (Event, District))
               and obj.organisation is None and obj.organisation_id is None]
    arriving = [entry for entry in world.adopted if entry.user in session.new
                and entry not in world.placed]
    new_events = [obj for obj in new if isinstance(obj, Event)]
    staff_placed = any(entry.role in (Role.JUDGE, Role.RECRUITER) for entry in world.placed)
    if not (orphans or arriving or (new_events and staff_placed)):
        return
    with session.no_autoflush:
        if orphans or arriving:
            organisation = _default_organisation(session)
        else:
            found = _find_default_organisation(session)
            if found is None:
                return
            organisation = found
        for obj in orphans:
            obj.organisation = organisation
        default_new = [e for e in new_events if _in_default(e, organisation)]
        stored = inspect(organisation).identity
        existing_ids = list(session.scalars(
            select(Event.id).where(Event.organisation_id == stored[0]))) if stored else []
        for entry in arriving:
            world.placed.append(entry)
            if entry.role == Role.ORGANIZER:
                session.add(OrganisationMember(organisation=organisation,
                                               role=OrganisationRole.ORGANIZER,
                                               **_ref("user", entry.user)))
            elif entry.role in (Role.JUDGE, Role.RECRUITER):
                for event_id in existing_ids:
                    session.add(_event_role(entry, {"event_id": event_id}))
        staff = [entry for entry in world.placed if entry.role in (Role.JUDGE, Role.RECRUITER)]
        for new_event in default_new:
            for entry in staff:
                session.add(_event_role(entry, {"event": new_event}))


@pytest.fixture(autouse=True)
def _default_test_organisation(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("no_default_organisation"):
        yield
        return
    _world[:] = [_DefaultWorld()]
    sa_event.listen(Session, "before_flush", _place_in_default_organisation)
    try:
        yield
    finally:
        sa_event.remove(Session, "before_flush", _place_in_default_organisation)
        _world.clear()


def default_organisation() -> Organisation:
    """The default test organisation (made now if no row needed it yet)."""
    organisation = _default_organisation(_db.session)
    _db.session.commit()
    return organisation


# --- builders ---------------------------------------------------------------------------------

_numbers = itertools.count(1)


def phases_at(phase: str, now: datetime | None = None) -> list[EventPhase]:
    """Call, review, roadshow and signing phases of :data:`PHASE_DAYS` days each, placed so that
    ``now`` falls in the middle of ``phase`` (or after them all for ``"finished"``)."""
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {PHASES}, not {phase!r}")
    now = now or utcnow()
    start = now - timedelta(days=PHASE_DAYS * PHASES.index(phase) + PHASE_DAYS / 2)
    kinds = (PhaseKind.CALL, PhaseKind.REVIEW, PhaseKind.ROADSHOW, PhaseKind.SIGNING)
    return [EventPhase(kind=kind, starts_at=start + timedelta(days=PHASE_DAYS * i),
                       ends_at=start + timedelta(days=PHASE_DAYS * (i + 1)))
            for i, kind in enumerate(kinds)]


def build_organisation(session: Session, slug: str | None = None, *,
                       kind: str = "city_office", name_zh: str | None = None,
                       name_en: str | None = None, timezone: str = "Asia/Shanghai",
                       organizers: tuple[User, ...] = ()) -> Organisation:
    n = next(_numbers)
    slug = slug or f"office-{n}"
    organisation = Organisation(slug=slug, kind=OrganisationKind(kind),
                                name_zh=name_zh or f"人才办{n}", name_en=name_en or f"Office {n}",
                                timezone=timezone)
    session.add(organisation)
    for user in organizers:
        session.add(OrganisationMember(organisation=organisation, user=user,
                                       role=OrganisationRole.ORGANIZER))
    session.commit()
    return organisation


def build_event(session: Session, organisation: Organisation | None = None,
                kind: str = "roadshow", phase: str = "call", *, slug: str | None = None,
                published: bool = True, alliance: Alliance | None = None,
                districts: list[District] | None = None, archived: bool = False,
                **fields: Any) -> Event:
    n = next(_numbers)
    slug = slug or f"event-{n}"
    stages = {f"stage_{stage}": on for stage, on in default_stages(kind).items()}
    stages.update({k: fields.pop(k) for k in list(fields) if k.startswith("stage_")})
    event = Event(slug=slug, title_zh=fields.pop("title_zh", f"测试活动{n}"),
                  title_en=fields.pop("title_en", f"Test event {n}"), kind=kind,
                  published=published, organisation=organisation, alliance=alliance,
                  timezone=fields.pop("timezone", "Asia/Shanghai"), **stages, **fields)
    event.phases = phases_at(phase)
    event.districts = list(districts or [])
    if archived:
        event.archived_at = utcnow()
    session.add(event)
    if alliance is not None and organisation is not None:
        session.add(AllianceShare(alliance=alliance, organisation=organisation,
                                  kind=ShareKind.JOINT_EVENT, event=event))
    session.commit()
    return event


def grant_role(session: Session, user: User, event: Event, role: Role | str,
               district: District | None = None) -> EventRole:
    row = EventRole(event=event, user=user, role=EventRoleKind(Role(role).value),
                    district=district)
    session.add(row)
    session.commit()
    return row


def build_alliance(session: Session, *members: Organisation, slug: str | None = None,
                   name_zh: str | None = None, name_en: str | None = None) -> Alliance:
    n = next(_numbers)
    alliance = Alliance(slug=slug or f"alliance-{n}", name_zh=name_zh or f"人才联盟{n}",
                        name_en=name_en or f"Talent alliance {n}")
    session.add(alliance)
    for organisation in members:
        session.add(AllianceMember(alliance=alliance, organisation=organisation))
    session.commit()
    return alliance


def share(session: Session, alliance: Alliance, organisation: Organisation, kind: str,
          event: Event | None = None) -> AllianceShare:
    row = AllianceShare(alliance=alliance, organisation=organisation, kind=ShareKind(kind),
                        event=event)
    session.add(row)
    session.commit()
    return row


def event_url(event: Event, path: str = "") -> str:
    """``/e/<slug><path>``: ``event_url(event, "/review/queue")``."""
    if path and not path.startswith("/"):
        path = "/" + path
    return f"/e/{event.slug}{path}"


def org_url(organisation: Organisation, path: str = "") -> str:
    if path and not path.startswith("/"):
        path = "/" + path
    return f"/o/{organisation.slug}{path}"


@pytest.fixture
def make_organisation(app: Any) -> Callable[..., Organisation]:
    """``make_organisation(slug=None, kind="city_office", organizers=(user,))``"""
    return lambda *args, **kwargs: build_organisation(_db.session, *args, **kwargs)


@pytest.fixture
def make_event(app: Any) -> Callable[..., Event]:
    """``make_event(organisation=None, kind="roadshow", phase="call", slug=..., ...)``; no
    organisation means the default test organisation."""
    return lambda *args, **kwargs: build_event(_db.session, *args, **kwargs)


@pytest.fixture
def grant(app: Any) -> Callable[..., EventRole]:
    """``grant(user, event, role, district=None)``: an event role row."""
    return lambda *args, **kwargs: grant_role(_db.session, *args, **kwargs)


@pytest.fixture
def make_alliance(app: Any) -> Callable[..., Alliance]:
    """``make_alliance(org_a, org_b, slug=None)``: an alliance of those offices."""
    return lambda *args, **kwargs: build_alliance(_db.session, *args, **kwargs)


@pytest.fixture
def make_share(app: Any) -> Callable[..., AllianceShare]:
    """``make_share(alliance, organisation, kind, event=None)``"""
    return lambda *args, **kwargs: share(_db.session, *args, **kwargs)
