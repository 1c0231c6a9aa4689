"""Scoping every query to the events it may see (issue 13, docs/design/many-events.md §2).

Every model whose rows belong to one event mixes in :class:`EventOwned` and says how its rows
reach their event with :meth:`EventOwned.event_clause`: ``event_id IN (...)`` for a row that
carries the column, an ``IN (SELECT ...)`` through its parent for the others (:func:`via`).

- :func:`scoped` adds the clause of every event-owned table in a statement's FROM list (joins
  unwrapped, so ``select(func.count()).select_from(Review)`` is scoped too) and marks the
  statement with the ``roadshow_scope`` execution option; :func:`across` does the same for
  several events (reports, dashboards); :func:`unscoped` marks a deliberate platform-wide query
  and logs why.
- :func:`get_in_event` loads one row by key and answers ``None`` for a row of another event,
  also when the row is already in the session's identity map.
- The guard (:func:`init_app`): inside a request that has ``g.event`` or ``g.organisation``, a
  SELECT that touches an event-owned table without the ``roadshow_scope`` option raises
  :class:`UnscopedQueryError` (config ``SCOPE_GUARD = "raise"``, the default in tests and
  development) or logs it (``"log"``, the default in production). Relationship and column
  loads pass: their parent row was loaded by a scoped query. ``"off"`` turns the guard off.

The right-hand side of an outer join is left to its ON clause: a WHERE on it would turn the
outer join into an inner one. Background jobs and socket handlers have no ``g.event``; they call
services with the event, which scope all the same.

Infrastructure: this module imports only SQLAlchemy and Flask.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import ColumnElement, Delete, Select, Update, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql.expression import Alias, FromClause, Join, TableClause

log = logging.getLogger("roadshow.scoping")

#: the execution option that marks a statement as scoped (an event id, a tuple of them, or
#: ``"unscoped"``)
SCOPE_OPTION = "roadshow_scope"
UNSCOPED = "unscoped"
GUARD_MODES = ("raise", "log", "off")

Stmt = TypeVar("Stmt", Select[Any], Update, Delete)
T = TypeVar("T")

#: table name -> the event-owned model mapped to it
_EVENT_OWNED: dict[str, type[EventOwned]] = {}


class UnscopedQueryError(RuntimeError):
    """A query inside an event's or an organisation's page read event-owned rows unscoped."""


class EventOwned:
    """Mixin of every model whose rows belong to one event.

    A model with an ``event_id`` column needs nothing more; a model that reaches its event
    through a parent overrides :meth:`event_clause`, usually with :func:`via`."""

    __event_owned__: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        table = getattr(cls, "__tablename__", None)
        if isinstance(table, str):
            _EVENT_OWNED[table] = cls

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        """The SQL condition "this row belongs to one of ``event_ids``"."""
        return cls.event_id.in_(list(event_ids))  # type: ignore[attr-defined]


def via(foreign_key: Any, parent: type[EventOwned] | str, event_ids: Iterable[int],
        parent_key: Any = None) -> ColumnElement[bool]:
    """``foreign_key IN (SELECT parent.id FROM parent WHERE <parent's event clause>)``: the
    event clause of a row that reaches its event through ``parent`` (itself event-owned, so a
    chain of parents nests). ``parent`` may be named by its table, so that a model needs no
    import of another domain's models: ``via(cls.application_id, "applications", event_ids)``."""
    model = _EVENT_OWNED[parent] if isinstance(parent, str) else parent
    key = parent_key if parent_key is not None else inspect(model).primary_key[0]
    return foreign_key.in_(select(key).where(model.event_clause(event_ids)))


def event_owned_models() -> dict[str, type[EventOwned]]:
    """Table name -> event-owned model, for tests that check every event table is covered."""
    return dict(_EVENT_OWNED)


def is_event_owned(table_name: str) -> bool:
    return table_name in _EVENT_OWNED


# --- scoping statements ----------------------------------------------------------------------

def _scoped_froms(from_: FromClause, *, outer_right: bool = False) -> list[tuple[FromClause, bool]]:
    """The tables and aliases a FROM element shows, each with whether it sits on the right of
    an outer join."""
    if isinstance(from_, Join):
        return (_scoped_froms(from_.left, outer_right=outer_right)
                + _scoped_froms(from_.right, outer_right=outer_right or from_.isouter
                                or from_.full))
    return [(from_, outer_right)]


def _event_owned_of(from_: FromClause) -> tuple[type[EventOwned], Alias | None] | None:
    if isinstance(from_, Alias) and isinstance(from_.element, TableClause):
        model = _EVENT_OWNED.get(from_.element.name)
        return (model, from_) if model is not None else None
    if isinstance(from_, TableClause):
        model = _EVENT_OWNED.get(from_.name)
        return (model, None) if model is not None else None
    return None


def _statement_froms(stmt: Select[Any] | Update | Delete) -> list[FromClause]:
    if isinstance(stmt, Select):
        return list(stmt.get_final_froms())
    return [stmt.table]  # type: ignore[list-item]


def _owned_froms(stmt: Stmt) -> list[tuple[type[EventOwned], Alias | None]]:
    """The event-owned tables (and aliases) of ``stmt``'s FROM list that are not on the right
    of an outer join: those whose rows the scope must limit."""
    found = []
    for from_ in _statement_froms(stmt):
        for shown, outer_right in _scoped_froms(from_):
            owned = _event_owned_of(shown)
            if owned is not None and not outer_right:
                found.append(owned)
    return found


#: statement shape (SQLAlchemy's cache key, which leaves out parameter values) -> the
#: event-owned models its FROM list shows. ``get_final_froms`` runs the whole ORM compilation
#: (10-30 ms for a dashboard's query, more than the query itself), and the answer depends only
#: on the shape. Statements with an alias are not kept: the alias object is the statement's own.
_OWNED_BY_SHAPE: dict[Any, list[type[EventOwned]]] = {}
_SHAPES_KEPT = 2000


def _owned_models(stmt: Stmt) -> list[tuple[type[EventOwned], Alias | None]]:
    cache_key = stmt._generate_cache_key()
    key = cache_key.key if cache_key is not None else None
    if key is not None:
        models = _OWNED_BY_SHAPE.get(key)
        if models is not None:
            return [(model, None) for model in models]
    found = _owned_froms(stmt)
    if key is not None and all(alias is None for _model, alias in found):
        if len(_OWNED_BY_SHAPE) >= _SHAPES_KEPT:
            _OWNED_BY_SHAPE.clear()
        _OWNED_BY_SHAPE[key] = [model for model, _alias in found]
    return found


def _add_clauses(stmt: Stmt, event_ids: list[int]) -> Stmt:
    clauses = []
    for model, alias in _owned_models(stmt):
        clause = model.event_clause(event_ids)
        if alias is not None:
            clause = sql_util.ClauseAdapter(alias).traverse(clause)
        clauses.append(clause)
    if clauses:
        stmt = stmt.where(*clauses)
    return stmt


def scoped(stmt: Stmt, event: Any) -> Stmt:
    """``stmt`` limited to the rows of ``event`` (an Event, or its id), and marked scoped."""
    event_id = event if isinstance(event, int) else event.id
    return _add_clauses(stmt, [event_id]).execution_options(**{SCOPE_OPTION: event_id})


def across(stmt: Stmt, event_ids: Iterable[int]) -> Stmt:
    """``stmt`` limited to the rows of the events ``event_ids`` (reports, dashboards)."""
    ids = sorted(set(event_ids))
    return _add_clauses(stmt, ids).execution_options(**{SCOPE_OPTION: tuple(ids)})


def unscoped(stmt: Stmt, reason: str) -> Stmt:
    """``stmt`` marked as a deliberate query over every event (admin pages, /verify-intent)."""
    if not reason.strip():
        raise ValueError("unscoped() needs the reason the query may see every event")
    log.debug("unscoped query: %s", reason)  # on every page that needs one: not for the info log
    return stmt.execution_options(**{SCOPE_OPTION: UNSCOPED})


def get_in_event(session: Session, model: type[T], key: Any, event: Any) -> T | None:
    """The row of ``model`` with primary key ``key`` if it belongs to ``event``, else None.

    One SELECT with the event's clause, so a row of another event that happens to sit in the
    identity map is not handed out."""
    if not issubclass(model, EventOwned):
        raise TypeError(f"{model.__name__} is not event-owned")
    event_id = event if isinstance(event, int) else event.id
    columns = inspect(model).primary_key
    keys = key if isinstance(key, tuple) else (key,)
    if len(keys) != len(columns):
        raise ValueError(f"{model.__name__} has {len(columns)} key columns, got {len(keys)}")
    stmt = (select(model)
            .where(*[column == value for column, value in zip(columns, keys, strict=True)])
            .where(model.event_clause([event_id]))
            .execution_options(**{SCOPE_OPTION: event_id}))
    return session.execute(stmt).scalars().first()


# --- the guard -------------------------------------------------------------------------------

def _in_scoped_request() -> bool:
    return has_request_context() and (
        g.get("event") is not None or g.get("organisation") is not None
    )


def unscoped_event_tables(state: ORMExecuteState) -> list[str]:
    """The event-owned tables an ORM execution reads without being scoped (empty when it is
    scoped, not a SELECT, or a relationship or column load)."""
    if not state.is_select or state.is_relationship_load or state.is_column_load:
        return []
    if state.execution_options.get(SCOPE_OPTION) is not None:
        return []
    tables = sql_util.find_tables(state.statement, check_columns=True, include_selects=True)
    return sorted({table.name for table in tables
                   if isinstance(table, TableClause) and table.name in _EVENT_OWNED})


def _guard(state: ORMExecuteState) -> None:
    if not _in_scoped_request():
        return
    mode = current_app.config.get("SCOPE_GUARD", "raise")
    if mode == "off":
        return
    tables = unscoped_event_tables(state)
    if not tables:
        return
    message = f"{', '.join(tables)}: use scoped()/across()/unscoped()"
    if mode == "raise":
        raise UnscopedQueryError(message)
    log.error("unscoped query in a scoped request: %s", message)


def init_app(app: Flask) -> None:
    """Install the guard (once per process; each app reads its own ``SCOPE_GUARD``)."""
    default = "raise" if (app.debug or app.testing) else "log"
    mode = app.config.setdefault("SCOPE_GUARD", default)
    if mode not in GUARD_MODES:
        raise ValueError(f"SCOPE_GUARD must be one of {', '.join(GUARD_MODES)}, not {mode!r}")
    if not event.contains(Session, "do_orm_execute", _guard):
        event.listen(Session, "do_orm_execute", _guard)
