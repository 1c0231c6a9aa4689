"""The error every refused live action raises."""

from __future__ import annotations


class LiveError(Exception):
    """An action refused; ``code`` picks the user's message (see ``namespace.MESSAGES``)."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        #: an already translated message from another domain, shown as it is
        self.message = message
