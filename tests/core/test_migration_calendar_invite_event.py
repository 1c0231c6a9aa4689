"""Migration 0008_calendar_invite_event gives every calendar invite row its event (issue 13), on
SQLite and PostgreSQL: found through its session, its slot, the session or slot of its UID, a
pitch UID, or another row of its UID; rows of deleted sessions whose event cannot be told go.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from roadshow.db import Base
from roadshow.extensions import db
from roadshow.talent.search_index import is_index_object
from tests.core.test_migration_many_events import T0, World, _app, _reflect, _rows
from tests.core.test_migration_many_events import database as database  # noqa: F401 (fixture)

BEFORE = "0007_many_events"


def _build_world(world: World) -> dict[str, int]:
    add = world.add
    ids: dict[str, int] = {}
    office = add("organisations", slug="talent-office", kind="city_office", name_zh="人才办",
                 name_en="Talent office", timezone="Asia/Shanghai")
    for key in ("a", "b", "gone"):
        ids[key] = add("events", organisation_id=office, slug=f"event-{key}", title_zh=key,
                       title_en=key, timezone="Asia/Shanghai")
    for key in ("u1", "u2", "u3"):
        ids[key] = add("users", email=f"{key}@example.org", role="applicant", name=key,
                       active=True)
    day = T0 + timedelta(days=30)
    ids["session_a"] = add("pitch_sessions", event_id=ids["a"], title_zh="A", title_en="A",
                           starts_at=day, ends_at=day + timedelta(hours=2), uid="session-a")
    ids["session_b"] = add("pitch_sessions", event_id=ids["b"], title_zh="B", title_en="B",
                           starts_at=day, ends_at=day + timedelta(hours=2), uid="session-b")
    ids["slot_a"] = add("schedule_slots", session_id=ids["session_a"], kind="district",
                        starts_at=day, ends_at=day + timedelta(minutes=20), uid="slot-a")
    # the event "gone" was deleted: its rows went with it but for a pitch UID naming it
    world.connection.execute(world.metadata.tables["events"].delete()
                             .where(world.metadata.tables["events"].c.id == ids["gone"]))

    def invite(key: str, user: str, uid: str, method: str = "REQUEST", **values: Any) -> None:
        ids[key] = add("calendar_invites", user_id=ids[user], uid=uid, method=method,
                       starts_at=day, ends_at=day + timedelta(hours=1), fingerprint="f",
                       sequence=1, **values)

    invite("by_session", "u1", "session-a@roadshow", session_id=ids["session_a"])
    invite("by_slot", "u1", "slot-a@roadshow", slot_id=ids["slot_a"])
    # the session or slot of the UID: a row that lost its links but whose entry still exists
    invite("by_session_uid", "u2", "session-a@roadshow")
    invite("by_slot_uid", "u2", "slot-a@roadshow")
    invite("by_pitch_uid", "u1", f"pitch-{ids['b']}-7@roadshow")
    # a deleted session of B: one row of its UID still says where it belonged
    invite("kept_by_other_row", "u1", "session-deleted-b@roadshow", session_id=ids["session_b"])
    invite("by_other_row", "u2", "session-deleted-b@roadshow", method="CANCEL")
    # a deleted session whose event nothing tells, and a pitch of the deleted event
    invite("lost_session", "u3", "session-deleted@roadshow")
    invite("lost_pitch", "u3", f"pitch-{ids['gone']}-8@roadshow")
    return ids


@pytest.fixture
def migrated(database: str, tmp_path: Path) -> Iterator[tuple[Flask, dict[str, int]]]:  # noqa: F811
    app = _app(database, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            ids = _build_world(World(connection, _reflect(connection)))
        yield app, ids
        db.session.remove()
        db.engine.dispose()


def test_upgrade_gives_every_row_its_event_and_drops_the_rows_of_no_event(migrated):
    _app_, ids = migrated
    upgrade()
    with db.engine.connect() as connection:
        assert _rows(connection, "calendar_invites", "id", "event_id") == {
            (ids["by_session"], ids["a"]), (ids["by_slot"], ids["a"]),
            (ids["by_session_uid"], ids["a"]), (ids["by_slot_uid"], ids["a"]),
            (ids["by_pitch_uid"], ids["b"]), (ids["kept_by_other_row"], ids["b"]),
            (ids["by_other_row"], ids["b"])}
        # nothing else of the rows changed
        assert _rows(connection, "calendar_invites", "id", "session_id", "slot_id") >= {
            (ids["by_session"], ids["session_a"], None), (ids["by_slot"], None, ids["slot_a"]),
            (ids["by_other_row"], None, None)}
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        diff = compare_metadata(MigrationContext.configure(connection, opts={
            "compare_type": True,
            # the talent pool's search index (migration 0010) is no model
            "include_name": lambda name, _type, _parents: not is_index_object(name)}),
            Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    # the column is required, and an event's deletion takes its rows along
    with db.engine.begin() as connection:
        invites = _reflect(connection).tables["calendar_invites"]
        assert not invites.c.event_id.nullable
        events = _reflect(connection).tables["events"]
        connection.execute(events.delete().where(events.c.id == ids["b"]))
    with db.engine.connect() as connection:
        assert {event for (event,) in _rows(connection, "calendar_invites", "event_id")} == {
            ids["a"]}


def test_downgrade_drops_the_column_and_keeps_the_rows(migrated):
    _app_, ids = migrated
    upgrade()
    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        assert "event_id" not in _reflect(connection).tables["calendar_invites"].c
        assert {row_id for (row_id,) in _rows(connection, "calendar_invites", "id")} == {
            ids[key] for key in ("by_session", "by_slot", "by_session_uid", "by_slot_uid",
                                 "by_pitch_uid", "kept_by_other_row", "by_other_row")}
    upgrade()
    with db.engine.connect() as connection:
        assert len(_rows(connection, "calendar_invites", "id", "event_id")) == 7
