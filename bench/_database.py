"""The benchmarks' database and app: a fresh SQLite file, or a scratch PostgreSQL database made
beside the one a URL names, dropped after."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def scratch_postgres(url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database beside the one ``url`` names, and how to drop it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"roadshow_bench_{uuid.uuid4().hex[:8]}"
    server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


@contextmanager
def bench_app(database_url: str | None) -> Iterator[tuple[Any, str]]:
    """The app a benchmark measures, on a fresh SQLite file or, with ``database_url``, on a
    scratch PostgreSQL database beside it, its schema made from the models; yields the app and
    the backend's name, and drops everything after."""
    from roadshow import create_app
    from roadshow.db import Base
    from roadshow.extensions import db

    with tempfile.TemporaryDirectory(prefix="roadshow-bench-") as tmp:
        drop = None
        if database_url:
            url, drop = scratch_postgres(database_url)
            backend = "postgresql"
        else:
            url, backend = f"sqlite:///{Path(tmp) / 'bench.db'}", "sqlite"
        try:
            app = create_app({"SECRET_KEY": "bench", "INSTANCE_PATH": str(Path(tmp) / "instance"),
                              "SQLALCHEMY_DATABASE_URI": url, "SMTP_HOST": None,
                              "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
            with app.app_context():
                Base.metadata.create_all(db.engine)
            yield app, backend
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        finally:
            if drop is not None:
                drop()
