"""Migration 0009_talent_pool adds the talent pool's tables (issue 14) on SQLite and PostgreSQL:
after the upgrade the schema matches the models and a record with its consent, change, contact,
station and member can be written and is deleted with its office; the downgrade drops the
tables (and PostgreSQL's enum types) and leaves the rest, and the upgrade runs again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from roadshow.db import Base
from roadshow.extensions import db
from roadshow.talent.search_index import is_index_object
from tests.core.test_migration_many_events import T0, World, _app, _reflect, _rows
from tests.core.test_migration_many_events import database as database  # noqa: F401 (fixture)

BEFORE = "0008_calendar_invite_event"
TABLES = {"talent_people", "talent_industries", "talent_person_industries", "talent_consents",
          "talent_changes", "talent_contacts", "talent_stations", "talent_station_members",
          "talent_access_log", "talent_saved_searches", "talent_shares"}
ENUMS = {"talent_degree", "talent_category", "talent_source", "talent_contact_kind",
         "station_role"}


@pytest.fixture
def migrated(database: str, tmp_path: Path) -> Iterator[tuple[Flask, dict[str, int]]]:  # noqa: F811
    app = _app(database, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            world = World(connection, _reflect(connection))
            ids = {
                "office": world.add("organisations", slug="talent-office", kind="city_office",
                                    name_zh="人才办", name_en="Talent office",
                                    timezone="Asia/Shanghai"),
                "user": world.add("users", email="officer@example.org", role="organizer",
                                  name="Officer", active=True),
            }
        yield app, ids
        db.session.remove()
        db.engine.dispose()


def _enum_types(connection) -> set[str]:
    if connection.dialect.name != "postgresql":
        return set()
    return set(connection.execute(text("SELECT typname FROM pg_type WHERE typtype = 'e'"))
               .scalars())


def test_upgrade_creates_the_pool_as_the_models_say(migrated):
    _app_, ids = migrated
    upgrade()
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= TABLES
        if connection.dialect.name == "postgresql":
            assert _enum_types(connection) >= ENUMS
        diff = compare_metadata(MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, _type, _parents: not is_index_object(name)}),
            Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    with db.engine.begin() as connection:
        world = World(connection, _reflect(connection))
        station = world.add("talent_stations", organisation_id=ids["office"], slug="shanghai",
                            name_zh="上海联络站", name_en="Shanghai station", city_zh="上海",
                            city_en="Shanghai", country="CN", opened_on=date(2026, 3, 1))
        world.add("talent_station_members", station_id=station, user_id=ids["user"],
                  role="head", appointed_on=date(2026, 3, 1))
        person = world.add("talent_people", organisation_id=ids["office"], name_zh="张三",
                           name_pinyin="zhang san", native_code="330212", category="business",
                           source="station", station_id=station, confirmed_at=T0)
        world.add("talent_consents", person_id=person, purpose="pool", version="2026-12",
                  wording_zh="同意", wording_en="I agree", given_at=T0, given_via="join_form")
        world.add("talent_changes", person_id=person, changed_by_id=ids["user"], changed_at=T0,
                  field="employer", old_value="A", new_value="B", reason="edit")
        world.add("talent_contacts", person_id=person, officer_id=ids["user"], kind="call",
                  happened_at=T0, summary="Called", next_due_on=date(2027, 1, 5))
    with db.engine.begin() as connection:
        # the office's deletion takes its pool along
        offices = _reflect(connection).tables["organisations"]
        connection.execute(offices.delete().where(offices.c.id == ids["office"]))
    with db.engine.connect() as connection:
        for table in ("talent_people", "talent_stations", "talent_station_members",
                      "talent_consents", "talent_changes", "talent_contacts"):
            assert _rows(connection, table, "id") == set(), table


def test_downgrade_drops_the_pool_and_keeps_the_rest(migrated):
    _app_, ids = migrated
    upgrade()
    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        assert not TABLES & set(inspect(connection).get_table_names())
        assert not ENUMS & _enum_types(connection)
        assert _rows(connection, "organisations", "id") == {(ids["office"],)}
    upgrade()
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= TABLES
