"""The declarative base: naming convention, UTC-only datetimes, SQLite pragmas.

SQLite and the gevent loop
    SQLite waits for a lock held by another connection in C (``busy_timeout``), which holds the
    whole gevent loop: every request and live room of the process stops, including the
    greenlet that holds the lock and would release it. So SQLite itself waits only
    :data:`SQLITE_BUSY_TIMEOUT_MS` at a time; a statement refused with "database is locked"
    is tried again after a short ``time.sleep`` (which yields to the other greenlets under
    gevent) until :data:`SQLITE_LOCK_WAIT_SECONDS` have passed. Then the error reaches
    :mod:`roadshow.errors`, which gives the form back with what the user typed.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, MetaData, event
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def value_enum(kind: type[PyEnum], name: str) -> Enum:
    """A column type for ``kind`` that stores its members' values (``"in_progress"``, not the
    member's name) in a type named ``name``, and refuses a string that is none of them before it
    reaches the database (SQLite would keep it)."""
    return Enum(kind, name=name, values_callable=lambda members: [m.value for m in members],
                validate_strings=True)


class NaiveDatetimeError(ValueError):
    """Raised when code tries to store a datetime without a time zone."""


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and refuses naive ones; always returns aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"refusing to store naive datetime {value!r}; attach a zone")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


#: how long SQLite waits for a lock in C, holding the event loop, before we yield and retry
SQLITE_BUSY_TIMEOUT_MS = 50
#: how long a statement keeps trying a locked database in all
SQLITE_LOCK_WAIT_SECONDS = 3.0


def is_locked_error(error: BaseException) -> bool:
    """Whether ``error`` (a DB-API or SQLAlchemy error) says SQLite's database was locked."""
    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _retry_while_locked(run: Any) -> bool:
    deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS
    pause = 0.005
    while True:
        try:
            run()
            return True
        except sqlite3.OperationalError as error:
            if not is_locked_error(error) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)  # yields to the other greenlets (the lock's holder among them)
        pause = min(pause * 2, 0.1)


@event.listens_for(Engine, "do_execute", retval=True)
def _sqlite_execute(cursor: Any, statement: str, parameters: Any, _context: Any) -> bool:
    if not isinstance(cursor, sqlite3.Cursor):
        return False
    return _retry_while_locked(lambda: cursor.execute(statement, parameters))


@event.listens_for(Engine, "do_execute_no_params", retval=True)
def _sqlite_execute_no_params(cursor: Any, statement: str, _context: Any) -> bool:
    if not isinstance(cursor, sqlite3.Cursor):
        return False
    return _retry_while_locked(lambda: cursor.execute(statement))


@event.listens_for(Engine, "do_executemany", retval=True)
def _sqlite_executemany(cursor: Any, statement: str, parameters: Any, _context: Any) -> bool:
    if not isinstance(cursor, sqlite3.Cursor):
        return False
    return _retry_while_locked(lambda: cursor.executemany(statement, parameters))
