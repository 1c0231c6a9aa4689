"""The benchmarks' scratch PostgreSQL database: made beside the one a URL names, dropped after."""

from __future__ import annotations

import uuid
from collections.abc import Callable


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
