"""The errors the signing services raise."""

from __future__ import annotations


class SigningError(ValueError):
    """A refused signing operation; ``str(error)`` is a translated message for the user."""


class ForbiddenError(SigningError):
    """The actor may not do this to this intent (the view answers 403)."""
