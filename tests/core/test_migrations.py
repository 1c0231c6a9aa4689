"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from roadshow import create_app
from roadshow.db import Base
from roadshow.talent.search_index import is_index_object
from tests.conftest import scratch_postgres_database


def _postgres_scratch_url() -> Iterator[str]:
    base = os.environ.get("ROADSHOW_TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    with scratch_postgres_database(base, "migrations") as scratch:
        yield scratch


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        yield from _postgres_scratch_url()


def test_upgrade_from_empty_matches_models(empty_database, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})
    with app.app_context():
        upgrade()
        from roadshow.extensions import db

        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={
                "compare_type": True,
                # the talent pool's search index is the database's own, outside the models
                "include_name": lambda name, _type, _parents: not is_index_object(name)}),
                Base.metadata)
        assert diff == [], f"models and migrations differ; run `roadshow db migrate`: {diff}"
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "events", "applications"} <= tables
        db.engine.dispose()


def test_downgrade_to_base_and_up_again(empty_database, tmp_path):
    url = empty_database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        from roadshow.extensions import db

        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()
