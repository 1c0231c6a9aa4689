"""The errors the application services raise (the views turn each into a message)."""

from __future__ import annotations


class CallClosedError(Exception):
    """The call for projects is closed for this event (by date or by hand)."""


class IncompleteError(Exception):
    """The application lacks what a submission needs; ``missing`` names the parts."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


class NotAllowedError(Exception):
    """The action does not fit the application's status."""
