"""The review's refusals, with messages translated for the user (also outside a request)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ReviewError(Exception):
    """A refused review action; ``message`` is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleReviewError(ReviewError):
    pass


class FieldsError(ReviewError):
    """A refused form: ``message`` for the page, ``fields`` the translated reason per field
    (criterion code on the score form, track id on the settings form)."""

    def __init__(self, message: str, fields: Mapping[Any, str]) -> None:
        super().__init__(message)
        self.fields = dict(fields)


def _(text: str, **kwargs: Any) -> str:
    """Translate when a request or app context has a locale (services run from CLI/demo too)."""
    try:
        from flask_babel import gettext

        return gettext(text, **kwargs)
    except (RuntimeError, KeyError):  # outside an app context
        return text % kwargs if kwargs else text
