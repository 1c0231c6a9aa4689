"""Signals other domains listen to (the live rooms disconnect a user who signs out)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sent with ``user_id`` after a user signs out
user_logged_out = _signals.signal("user-logged-out")
#: sent with ``user_id`` when a user's role or district changes or the account is deactivated
user_access_changed = _signals.signal("user-access-changed")
