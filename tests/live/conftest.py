"""Live-room factories: an event with a published pitch session, finalists on its slots, a
rubric; and socket clients that log in over HTTP first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events.models import Event
from roadshow.extensions import db, socketio
from roadshow.review.models import Criterion
from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind
from tests.conftest import free_port
from tests.live.rooms import build_room, create_schema
from tests.live.servers import Server, server_env

NS = "/live"
START = datetime(2026, 6, 11, 1, 0, tzinfo=UTC)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["LIVE_BATCH_SECONDS"] = 0  # send at once: the tests read what was sent
    return app_config


class Roadshow:
    """One event, one published session of two pitches and a district presentation."""

    def __init__(self, make_user: Callable[..., Any], make_district: Callable[..., Any]) -> None:
        self.event = Event(slug="xuzhou-2026", title_zh="徐州云创荟", title_en="Xuzhou Cloud Roadshow")
        db.session.add(self.event)
        db.session.flush()
        self.district = make_district(code="gulou", name_zh="鼓楼区", name_en="Gulou District")
        self.organizer = make_user(Role.ORGANIZER)
        self.judge = make_user(Role.JUDGE)
        self.recruiter = make_user(Role.RECRUITER, district=self.district)
        self.presenters = [make_user(Role.APPLICANT, name=f"Presenter {i}") for i in (1, 2)]
        self.outsider = make_user(Role.APPLICANT, name="Not pitching")
        self.applications = []
        for i, person in enumerate(self.presenters, start=1):
            application = Application(event_id=self.event.id, applicant_id=person.id,
                                      status=ApplicationStatus.FINALIST,
                                      title_en=f"Low-power IoT {i}", title_zh=f"低功耗物联网 {i}")
            db.session.add(application)
            self.applications.append(application)
        db.session.flush()
        self.criteria = [
            Criterion(event_id=self.event.id, code="innovation", name_zh="创新性",
                      name_en="Innovation", weight=1.0, scale_min=1, scale_max=10, position=1),
            Criterion(event_id=self.event.id, code="market", name_zh="市场前景",
                      name_en="Market", weight=1.0, scale_min=1, scale_max=10, position=2),
        ]
        db.session.add_all(self.criteria)
        self.session = self.make_session("Morning pitches", START)
        self.other_session = self.make_session("Afternoon pitches", START + timedelta(hours=5))
        db.session.commit()

    def make_session(self, title: str, starts_at: datetime,
                     applications: list[Application] | None = None) -> PitchSession:
        """A published session: the district's presentation, then ``applications`` (by
        default the two finalists) pitching."""
        session = PitchSession(event_id=self.event.id, title_en=title, title_zh=title,
                               starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
                               join_url="https://meet.example.org/roadshow",
                               status=SessionStatus.PUBLISHED)
        db.session.add(session)
        db.session.flush()
        at = starts_at
        db.session.add(Slot(session_id=session.id, kind=SlotKind.DISTRICT,
                            district_id=self.district.id, starts_at=at,
                            ends_at=at + timedelta(minutes=10), position=0))
        at += timedelta(minutes=10)
        pitching = self.applications if applications is None else applications
        for position, application in enumerate(pitching, start=1):
            db.session.add(Slot(session_id=session.id, kind=SlotKind.PITCH,
                                application_id=application.id, starts_at=at,
                                ends_at=at + timedelta(minutes=20), position=position))
            at += timedelta(minutes=20)
        db.session.flush()
        return session


@pytest.fixture
def roadshow(app: Flask, make_user: Callable[..., Any], make_district: Callable[..., Any]) -> Roadshow:
    return Roadshow(make_user, make_district)


@pytest.fixture
def connect(app: Flask, login_as: Callable[..., tuple[FlaskClient, Any]]) -> Callable[..., Any]:
    """``connect(user, session)``: a Socket.IO test client of ``/live`` for that user."""

    def open_socket(user: Any, pitch_session: PitchSession, **kwargs: Any) -> Any:
        client, _user = login_as(user)
        return socketio.test_client(app, namespace=NS, flask_test_client=client,
                                    auth={"session_id": pitch_session.id}, **kwargs)

    return open_socket


def events_of(sock: Any, kind: str | None = None) -> list[dict[str, Any]]:
    """Every ``events`` item received since the last call, optionally of one kind."""
    found = []
    for packet in sock.get_received(NS):
        if packet["name"] == "events":
            for event in packet["args"][0]:
                if kind is None or event["kind"] == kind:
                    found.append(event)
    return found


def hello(sock: Any) -> dict[str, Any]:
    answer = sock.emit("hello", {}, namespace=NS, callback=True)
    assert answer["ok"], answer
    return answer["snapshot"]


def act(sock: Any, name: str, **payload: Any) -> dict[str, Any]:
    return sock.emit(name, payload, namespace=NS, callback=True)


# --- one real server for the browser tests ------------------------------------------------------

@dataclass
class SharedServer:
    """One ``roadshow serve`` for every browser test of the run; each test builds its own room
    (``build_room``) in ``database_url`` and leaves the others' alone."""

    server: Server
    database_url: str
    instance: Path

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedServer]:
    root = tmp_path_factory.mktemp("shared-live")
    database_url = f"sqlite:///{root / 'live.db'}"
    create_schema(database_url)
    port = free_port()
    server = Server(port, server_env(database_url, root / "instance", port),
                    log_path=root / "server.log")
    server.start()
    try:
        yield SharedServer(server, database_url, root / "instance")
    finally:
        server.stop(kill=False)


@pytest.fixture
def room_world(shared_server: SharedServer) -> dict[str, Any]:
    """A room of this test's own on the shared server: office, event, session, organizer, judge."""
    return {**build_room(shared_server.database_url), "instance": shared_server.instance}
