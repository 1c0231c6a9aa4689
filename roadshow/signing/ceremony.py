"""The signing ceremony in open live rooms: when an intent of cooperation completes, the rooms of
its event show it.

The live room is an earlier stage than signing and never imports it; signing connects its own
signal to the live room's handler here, when its blueprint is registered.
"""

from __future__ import annotations

from roadshow.live.ceremony import show_signing
from roadshow.signing.signals import intent_completed


def connect() -> None:
    """Idempotent: blinker connects a receiver once."""
    intent_completed.connect(show_signing)
