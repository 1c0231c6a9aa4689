"""Integers read from paths, query strings and forms, held to what the database can store.

Every id column is a 32-bit signed integer on PostgreSQL, so a larger number names nothing we
store; passed on, it overflows SQLite's driver (``OverflowError``) and became a 500 for anyone,
signed in or not. ``<int:...>`` in a route therefore stops at ``MAX_INT`` (a larger number is
404, as any unknown page), and ``request.args.get(name, type=int)`` (likewise ``form`` and
``values``) treats a number out of range as it treats one that is not a number at all: the
default. Both are installed once for the whole application, so no view checks for itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, Map
from werkzeug.utils import cached_property

#: the largest id (and page) a URL may carry: PostgreSQL's INTEGER
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)


def query_int(value: Any) -> int:
    """``int(value)``, refusing numbers the database cannot hold with ``ValueError``."""
    number = int(value)
    if not MIN_INT <= number <= MAX_INT:
        raise ValueError(f"{value!r} is out of range")
    return number


def _bounded(type_: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    return query_int if type_ is int else type_


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's ``int`` converter with ``max`` defaulting to :data:`MAX_INT`."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - werkzeug's names
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, MAX_INT if max is None else max, signed)
        if signed and self.min is None:
            self.min = MIN_INT


class BoundedArgs(ImmutableMultiDict):  # type: ignore[type-arg]
    """Query and form data whose ``get(..., type=int)`` refuses out-of-range numbers."""

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # noqa: A002
        return super().get(key, default, _bounded(type))

    def getlist(self, key: Any, type: Any = None) -> Any:  # noqa: A002
        return super().getlist(key, _bounded(type))


class BoundedCombined(CombinedMultiDict):  # type: ignore[type-arg]
    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # noqa: A002
        return super().get(key, default, _bounded(type))

    def getlist(self, key: Any, type: Any = None) -> Any:  # noqa: A002
        return super().getlist(key, _bounded(type))


class RoadshowRequest(Request):
    parameter_storage_class = BoundedArgs

    @cached_property
    def values(self) -> CombinedMultiDict:  # type: ignore[override, type-arg]
        sources = [self.args] if self.method == "GET" else [self.args, self.form]
        return BoundedCombined([d if isinstance(d, MultiDict) else MultiDict(d) for d in sources])


def init_app(app: Flask) -> None:
    """Install both; call before the blueprints add their routes (the converter is looked up
    when a route is added)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = RoadshowRequest
