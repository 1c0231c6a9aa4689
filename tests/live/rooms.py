"""Live rooms for the browser tests, each built in a database that one shared ``roadshow serve``
may already be serving: every room has its own office, event, session and people (emails carry
the room's tag), so tests sharing the server never see each other's data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import roadshow
from roadshow.db import Base
from tests.conftest import _PASSWORD_HASH


def create_schema(database_url: str) -> None:
    """An empty database file with the models' tables."""
    roadshow._import_models()
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    engine.dispose()


def build_room(database_url: str, tag: str | None = None) -> dict[str, Any]:
    """An organizer, a judge and a published session with one pitch ("Batteries"), all new."""
    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.events.models import Event
    from roadshow.organisations.models import (
        EventRole,
        EventRoleKind,
        Organisation,
        OrganisationKind,
        OrganisationMember,
        OrganisationRole,
    )
    from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind

    tag = tag or uuid.uuid4().hex[:10]
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    with Session(engine) as session:
        people = {role: User(email=f"{role.value}-{tag}@example.org", password_hash=_PASSWORD_HASH,
                             role=role, name=role.value.title(), email_verified_at=now)
                  for role in (Role.ORGANIZER, Role.JUDGE, Role.APPLICANT)}
        session.add_all(people.values())
        office = Organisation(slug=f"live-office-{tag}", kind=OrganisationKind.CITY_OFFICE,
                              name_zh="人才办", name_en="Talent office")
        event = Event(slug=f"live-{tag}", title_zh="路演", title_en="Roadshow", organisation=office)
        session.add(event)
        session.flush()
        session.add_all([
            OrganisationMember(organisation_id=office.id, user_id=people[Role.ORGANIZER].id,
                               role=OrganisationRole.ORGANIZER),
            EventRole(event_id=event.id, user_id=people[Role.JUDGE].id, role=EventRoleKind.JUDGE),
        ])
        application = Application(event_id=event.id, applicant_id=people[Role.APPLICANT].id,
                                  status=ApplicationStatus.FINALIST, title_en="Batteries",
                                  title_zh="电池")
        pitch_session = PitchSession(event_id=event.id, title_zh="上午", title_en="Morning",
                                     starts_at=now, ends_at=now + timedelta(hours=1),
                                     status=SessionStatus.PUBLISHED)
        session.add_all([application, pitch_session])
        session.flush()
        session.add(Slot(session_id=pitch_session.id, kind=SlotKind.PITCH,
                         application_id=application.id, starts_at=now,
                         ends_at=now + timedelta(minutes=20)))
        session.commit()
        room = {"tag": tag, "database_url": database_url, "session_id": pitch_session.id,
                "event_id": event.id, "event_slug": event.slug, "application_id": application.id,
                "organizer": people[Role.ORGANIZER].email, "judge": people[Role.JUDGE].email,
                "room": f"/e/{event.slug}/live/{pitch_session.id}"}
    engine.dispose()
    return room


def fresh_database(folder: Path) -> str:
    """A database of its own in ``folder`` (for a test that stops its server)."""
    url = f"sqlite:///{folder / 'live.db'}"
    create_schema(url)
    return url
