"""Real server processes: two sharing rooms through Redis, and one restarted mid-pitch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import roadshow
from roadshow.db import Base
from tests.conftest import _PASSWORD_HASH, TEST_PASSWORD, free_port
from tests.live.servers import LiveClient, Server, login_cookie, server_env

pytestmark = [pytest.mark.slow]


def build_world(database_url: str) -> dict[str, Any]:
    """A fresh database file with an organizer, a judge and a published session of two pitches."""
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

    roadshow._import_models()
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    now = datetime.now(UTC)
    with Session(engine) as session:
        people = {role: User(email=f"{role.value}@example.org", password_hash=_PASSWORD_HASH,
                             role=role, name=role.value.title(), email_verified_at=now)
                  for role in (Role.ORGANIZER, Role.JUDGE, Role.APPLICANT)}
        session.add_all(people.values())
        office = Organisation(slug="live-office", kind=OrganisationKind.CITY_OFFICE,
                              name_zh="人才办", name_en="Talent office")
        event = Event(slug="live-processes", title_zh="路演", title_en="Roadshow",
                      organisation=office)
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
        world = {"session_id": pitch_session.id, "event_slug": event.slug,
                 "organizer": people[Role.ORGANIZER].email, "judge": people[Role.JUDGE].email}
    engine.dispose()
    return world


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    return {**build_world(url), "database_url": url, "instance": tmp_path / "instance"}


def stage_commands(client: LiveClient) -> list[str]:
    return [e["data"]["command"] for e in client.events if e["kind"] == "stage"]


def test_viewer_on_one_process_sees_the_host_on_another_through_redis(world, redis_url, tmp_path):
    servers = []
    for name in ("a", "b"):
        port = free_port()
        env = server_env(world["database_url"], world["instance"], port, redis_url)
        servers.append(Server(port, env, log_path=tmp_path / f"server-{name}.log"))
    clients: list[LiveClient] = []
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_ready()
        a, b = servers
        viewer = LiveClient(a.url, login_cookie(a.url, world["judge"], TEST_PASSWORD), world["session_id"]).connect()
        host = LiveClient(b.url, login_cookie(b.url, world["organizer"], TEST_PASSWORD), world["session_id"]).connect()
        clients += [viewer, host]
        assert viewer.call("hello")["ok"]
        assert host.call("stage", {"command": "open", "action_id": "open-1"})["ok"]
        assert host.call("stage", {"command": "next", "action_id": "next-1"})["ok"]
        assert viewer.wait_for(lambda c: stage_commands(c) == ["open", "next"]), a.log_tail()
        last = [e for e in viewer.events if e["kind"] == "stage"][-1]
        assert last["data"]["stage"]["phase"] == "pitch"
        assert viewer.call("hello")["snapshot"]["seq"] == last["seq"]
    finally:
        for client in clients:
            client.close()
        for server in servers:
            server.stop()


def test_server_restart_mid_pitch_loses_nothing_and_clients_resume(world, tmp_path):
    port = free_port()
    server = Server(port, server_env(world["database_url"], world["instance"], port),
                    log_path=tmp_path / "server.log")
    clients: list[LiveClient] = []
    try:
        server.start()
        host = LiveClient(server.url, login_cookie(server.url, world["organizer"], TEST_PASSWORD), world["session_id"]).connect()
        viewer = LiveClient(server.url, login_cookie(server.url, world["judge"], TEST_PASSWORD), world["session_id"]).connect()
        clients += [host, viewer]
        for number, command in enumerate(("open", "next", "start")):
            assert host.call("stage", {"command": command, "action_id": f"c{number}"})["ok"]
        assert viewer.call("chat", {"text": "Great slides", "action_id": "m1"})["ok"]
        before = viewer.call("hello")["snapshot"]
        assert before["stage"]["phase"] == "pitch"
        assert before["stage"]["timer"]["running"]

        server.stop(kill=True)
        server.start()
        assert viewer.wait_for(lambda c: c.connects >= 2, timeout=30), server.log_tail()
        # a server just started answers its first calls slowly on a busy machine (imports,
        # templates): give them the time a person would wait, not the usual 10 s
        after = viewer.call("hello", timeout=45)["snapshot"]
        assert after["seq"] == before["seq"]
        assert after["stage"] == before["stage"]
        assert [m["text"] for m in after["chat"]] == ["Great slides"]
        # a retried action from before the restart is still recognised
        assert viewer.call("chat", {"text": "Great slides", "action_id": "m1"})["duplicate"]
        assert host.wait_for(lambda c: c.connects >= 2, timeout=30)
        assert host.call("stage", {"command": "pause", "action_id": "c9"}, timeout=45)["ok"]
        assert viewer.wait_for(lambda c: "pause" in stage_commands(c))
    finally:
        for client in clients:
            client.close()
        server.stop()
