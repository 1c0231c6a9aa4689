"""The signing factories (a sent intent and its parties), for the signature reminders."""

from tests.signing.conftest import (  # noqa: F401 - fixtures, found by name
    _request,
    draft_intent,
    parties,
    sent_intent,
)
