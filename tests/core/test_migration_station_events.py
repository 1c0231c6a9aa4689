"""Migration 0011_station_events adds a station's events and the pool's invitations (issue 14)
on SQLite and PostgreSQL: after the upgrade the schema matches the models, a link and an
invitation can be written, one invitation per person and event, and both go with their event;
the downgrade drops the two tables and keeps the pool, and the upgrade runs again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from roadshow.db import Base
from roadshow.extensions import db
from roadshow.talent.search_index import is_index_object
from tests.core.test_migration_many_events import T0, World, _app, _reflect, _rows
from tests.core.test_migration_many_events import database as database  # noqa: F401 (fixture)

BEFORE = "0010_talent_search"
TABLES = {"talent_station_events", "talent_invitations"}


@pytest.fixture
def migrated(database: str, tmp_path: Path) -> Iterator[tuple[Flask, dict[str, int]]]:  # noqa: F811
    app = _app(database, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            world = World(connection, _reflect(connection))
            office = world.add("organisations", slug="talent-office", kind="city_office",
                               name_zh="人才办", name_en="Talent office", timezone="Asia/Shanghai")
            user = world.add("users", email="officer@example.org", role="organizer",
                             name="Officer", active=True)
            station = world.add("talent_stations", organisation_id=office, slug="shanghai",
                                name_zh="上海联络站", name_en="Shanghai station", city_zh="上海",
                                city_en="Shanghai", country="CN", opened_on=date(2026, 3, 1))
            person = world.add("talent_people", organisation_id=office, name_zh="张三",
                               name_pinyin="zhang san", category="business", source="station",
                               station_id=station, confirmed_at=T0)
            event = world.add("events", slug="symposium", organisation_id=office,
                              kind="symposium")
            ids = {"office": office, "user": user, "station": station, "person": person,
                   "event": event}
        yield app, ids
        db.session.remove()
        db.engine.dispose()


def test_upgrade_links_events_and_records_invitations(migrated):
    _app_, ids = migrated
    upgrade()
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= TABLES
        diff = compare_metadata(MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, _type, _parents: not is_index_object(name)}),
            Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    with db.engine.begin() as connection:
        world = World(connection, _reflect(connection))
        world.add("talent_station_events", station_id=ids["station"], event_id=ids["event"],
                  created_at=T0)
        contact = world.add("talent_contacts", person_id=ids["person"], officer_id=ids["user"],
                            kind="message", happened_at=T0, summary="Invited")
        world.add("talent_invitations", person_id=ids["person"], event_id=ids["event"],
                  contact_id=contact, sent_by_id=ids["user"], sent_at=T0, locale="zh_Hans_CN")
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        World(connection, _reflect(connection)).add(
            "talent_invitations", person_id=ids["person"], event_id=ids["event"], sent_at=T0,
            locale="en")
    with db.engine.begin() as connection:
        events = _reflect(connection).tables["events"]
        connection.execute(events.delete().where(events.c.id == ids["event"]))
    with db.engine.connect() as connection:
        assert _rows(connection, "talent_station_events", "station_id") == set()
        assert _rows(connection, "talent_invitations", "id") == set()
        assert _rows(connection, "talent_stations", "id") == {(ids["station"],)}


def test_downgrade_drops_the_two_tables_and_keeps_the_pool(migrated):
    _app_, ids = migrated
    upgrade()
    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        assert not TABLES & set(inspect(connection).get_table_names())
        assert _rows(connection, "talent_people", "id") == {(ids["person"],)}
    upgrade()
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= TABLES
