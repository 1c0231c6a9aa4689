"""A locked SQLite database neither stalls the process nor loses what the user typed
(issue 12, item 13)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from roadshow.accounts.roles import Role
from roadshow.events.models import Event
from roadshow.extensions import db, socketio
from roadshow.scheduling.models import PitchSession, SessionStatus


@contextmanager
def locked(database_url: str) -> Iterator[None]:
    """Another program holds the database's write lock meanwhile."""
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def sqlite_url(database_url: str) -> str:
    if not database_url.startswith("sqlite:///"):
        pytest.skip("SQLite's locking")
    return database_url


def test_the_embedded_database_runs_in_wal_mode(app, sqlite_url):
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() <= 100


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Please try again in a moment."), ("zh_Hans_CN", "请稍后再试。")])
def test_a_locked_database_gives_the_form_back_with_what_was_typed(
        app, sqlite_url, login_as, locale, expected):
    client, user = login_as(Role.APPLICANT)
    user.locale = locale
    db.session.commit()
    form = {"name": "Ada Lovelace-Byron", "name_native": "艾达", "locale": locale,
            "timezone": "Europe/London"}
    with locked(sqlite_url):
        response = client.post("/profile", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert expected in page
    assert 'name="name" value="Ada Lovelace-Byron"' in page
    assert 'name="name_native" value="艾达"' in page
    assert 'action="/profile"' in page
    # once the lock is gone, sending it again saves it
    assert client.post("/profile", data=form).status_code == 302
    db.session.refresh(user)
    assert user.name == "Ada Lovelace-Byron"


def test_a_short_lock_is_waited_out_without_an_error(app, sqlite_url, login_as):
    client, user = login_as(Role.APPLICANT)
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None,
                             check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, lambda: holder.execute("ROLLBACK")).start()
    response = client.post("/profile", data={"name": "Short Wait", "locale": "en",
                                             "timezone": "Europe/London"})
    holder.close()
    assert response.status_code == 302


GEVENT_PROBE = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()
    import json, sqlite3, sys, time
    import gevent
    from sqlalchemy import create_engine, text
    import roadshow.db  # the pragmas and the cooperative retry

    path = sys.argv[1]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("create table t (x integer)"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    ticks, result = [], {}

    def ticker():
        while True:
            ticks.append(time.monotonic())
            gevent.sleep(0.01)

    def writer():
        try:
            with engine.begin() as connection:
                connection.execute(text("insert into t values (1)"))
            result["saved"] = True
        except Exception as error:
            result["error"] = repr(error)

    def release():
        gevent.sleep(0.5)
        result["ticks_while_locked"] = len(ticks)
        holder.execute("COMMIT")

    beat = gevent.spawn(ticker)
    gevent.joinall([gevent.spawn(writer), gevent.spawn(release)])
    beat.kill()
    print(json.dumps(result))
""")


def test_waiting_for_a_lock_leaves_the_gevent_loop_running(tmp_path: Path):
    """Under gevent (as ``roadshow serve`` runs) a writer waiting for the lock lets the other
    greenlets run, the one holding the lock among them, so the write then succeeds."""
    done = subprocess.run([sys.executable, "-c", GEVENT_PROBE, str(tmp_path / "probe.db")],
                          capture_output=True, text=True, timeout=60, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result.get("saved") is True, result
    assert result["ticks_while_locked"] >= 10, result  # the loop kept turning meanwhile


def test_a_live_action_on_a_locked_database_is_answered_busy_in_the_users_language(
        app, sqlite_url, login_as, make_user):
    organizer = make_user(Role.ORGANIZER)
    organizer.locale = "zh_Hans_CN"
    event = Event(slug="locked", title_zh="路演", title_en="Roadshow")
    db.session.add(event)
    db.session.flush()
    start = datetime.now(UTC) + timedelta(hours=1)
    session = PitchSession(event_id=event.id, title_en="S", title_zh="S", starts_at=start,
                           ends_at=start + timedelta(hours=1), status=SessionStatus.PUBLISHED)
    db.session.add(session)
    db.session.commit()
    client, _ = login_as(organizer)
    sock = socketio.test_client(app, namespace="/live", flask_test_client=client,
                                auth={"session_id": session.id})
    assert sock.is_connected("/live")
    with locked(sqlite_url):
        answer = sock.emit("stage", {"command": "open"}, namespace="/live", callback=True)
    assert answer["ok"] is False
    assert answer["error"] == "busy"
    assert answer["message"] == "服务器暂时繁忙，本次操作未保存。请重试。"
    assert sock.emit("stage", {"command": "open"}, namespace="/live", callback=True)["ok"]
