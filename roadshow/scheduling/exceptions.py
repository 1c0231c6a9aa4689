"""Scheduling's refusals: the error whose ``code`` picks the translated message shown to the user."""

from __future__ import annotations

from typing import Any


class ScheduleError(ValueError):
    """A refused change; ``code`` picks the translated message shown to the user."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
