"""What each ``/live`` event may carry (pure): one check for every handler's payload.

A client sends one JSON object per event. Before any handler runs, the namespace checks it
here: the payload must be an object (or absent, where that is allowed), every known field must
have its JSON type, and required fields must be present. JSON ``true`` is not a number here
(Python's ``bool`` is an ``int``), and a whole-number float (``2.0``) counts as an integer.
Unknown fields are dropped, so handlers only ever see what they expect. An integer must fit
the database's INTEGER (ids, pages, sequence numbers are stored as one): a larger one named
nothing and raised OverflowError inside the handler, which then never answered.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class PayloadError(ValueError):
    """The payload does not fit its event; ``field`` names the first field at fault."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


#: the integers a payload may carry: PostgreSQL's INTEGER, which every id column is
MIN_INT, MAX_INT = -(2**31), 2**31 - 1


def _int(value: object) -> int:
    if isinstance(value, bool):
        raise TypeError("a boolean is not an integer")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise TypeError("not an integer")
    if not MIN_INT <= value <= MAX_INT:
        raise TypeError("an integer no column holds")
    return value


def _number(value: object) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise TypeError("not a finite number")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value


def _scores(value: object) -> dict[str, float | int | None]:
    """Criterion id -> number (or null for an optional criterion left empty)."""
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return {str(key): None if raw is None else _number(raw) for key, raw in value.items()}


def _object(value: object) -> dict[str, Any]:
    """A small JSON object (a session description or an ICE candidate), passed on as it is."""
    if not isinstance(value, dict) or len(value) > 8:
        raise TypeError("not a small object")
    for key, item in value.items():
        if not isinstance(key, str) or not (item is None or isinstance(item, str | int | float | bool)):
            raise TypeError("not a flat object")
        if isinstance(item, str) and len(item) > 20_000:
            raise TypeError("too long")
    return dict(value)


def _sid(value: object) -> str:
    text = _str(value)
    if not 0 < len(text) <= 64:
        raise TypeError("not a connection id")
    return text


@dataclass(frozen=True)
class Field:
    check: Callable[[object], Any]
    required: bool = False
    nullable: bool = False


ACTION_ID = Field(_str, nullable=True)

#: event name -> its fields; events not listed here take an object whose fields pass unchecked
SCHEMAS: dict[str, dict[str, Field]] = {
    "hello": {"since": Field(_int, nullable=True)},
    "stage": {"command": Field(_str, required=True), "index": Field(_int),
              "seconds": Field(_int), "slot_id": Field(_int), "action_id": ACTION_ID},
    "page": {"page": Field(_int, required=True), "action_id": ACTION_ID},
    "ask": {"text": Field(_str, required=True), "action_id": ACTION_ID},
    "moderate": {"question_id": Field(_int, required=True), "status": Field(_str, required=True),
                 "action_id": ACTION_ID},
    "vote": {"question_id": Field(_int, required=True), "up": Field(_bool),
             "action_id": ACTION_ID},
    "chat": {"text": Field(_str, required=True), "action_id": ACTION_ID},
    "delete_chat": {"message_id": Field(_int, required=True), "action_id": ACTION_ID},
    "mute": {"user_id": Field(_int, required=True), "muted": Field(_bool), "action_id": ACTION_ID},
    "score": {"scores": Field(_scores, required=True), "comment": Field(_str, nullable=True),
              "action_id": ACTION_ID},
    "dock": {"kind": Field(_str, required=True), "note": Field(_str, nullable=True),
             "action_id": ACTION_ID},
    "rtc_publish": {"screen": Field(_bool), "audio_only": Field(_bool), "ready": Field(_bool)},
    "rtc_unpublish": {},
    "rtc_watch": {"to": Field(_sid, nullable=True)},
    "rtc_signal": {"to": Field(_sid, required=True), "kind": Field(_str, required=True),
                   "description": Field(_object, nullable=True),
                   "candidate": Field(_object, nullable=True), "on": Field(_bool)},
    "video_control": {"user_id": Field(_int, required=True), "action": Field(_str, required=True)},
    "video_people": {},
    "video_caption": {"text": Field(_str, required=True)},
    "video_guest": {"user_id": Field(_int, required=True), "on": Field(_bool),
                    "action_id": ACTION_ID},
}

#: events a client may send without any payload
OPTIONAL_PAYLOAD = frozenset({"hello"})


def check(event: str, args: tuple[Any, ...]) -> dict[str, Any]:
    """The checked payload of ``event`` sent with ``args``; raises :class:`PayloadError`."""
    if len(args) > 1:
        raise PayloadError("payload")
    if not args or args[0] is None:
        if event in OPTIONAL_PAYLOAD:
            return {}
        raise PayloadError("payload")
    data = args[0]
    if not isinstance(data, dict):
        raise PayloadError("payload")
    schema = SCHEMAS.get(event)
    if schema is None:
        return dict(data)
    checked: dict[str, Any] = {}
    for name, field in schema.items():
        if name not in data:
            if field.required:
                raise PayloadError(name)
            continue
        value = data[name]
        if value is None:
            if field.required or not field.nullable:
                raise PayloadError(name)
            checked[name] = None
            continue
        try:
            checked[name] = field.check(value)
        except TypeError as error:
            raise PayloadError(name) from error
    return checked
