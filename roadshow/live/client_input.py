"""Reading what a live client sends: whole numbers, texts within their limits, action ids; anything
else is refused with a :class:`~roadshow.live.exceptions.LiveError`."""

from __future__ import annotations

from roadshow.live.exceptions import LiveError
from roadshow.live.throttle import TextError, clean_text


def whole_number(value: object) -> int:
    if isinstance(value, bool):
        raise LiveError("bad_request")
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError) as error:
        raise LiveError("bad_request") from error


def clean_input(text: object, limit: int) -> str:
    try:
        return clean_text(text, limit)
    except TextError as error:
        raise LiveError(f"text_{error.code}") from error


def check_action_id(action_id: object) -> str | None:
    if action_id is None or action_id == "":
        return None
    if not isinstance(action_id, str) or len(action_id) > 64:
        raise LiveError("bad_request")
    return action_id
