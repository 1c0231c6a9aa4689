"""Signals other domains listen to (the live rooms disconnect a user who signs out)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sent with ``user_id`` after a user signs out
user_logged_out = _signals.signal("user-logged-out")
#: sent with ``user_id`` when a user's role or district changes or the account is deactivated
user_access_changed = _signals.signal("user-access-changed")
#: sent (by the app) before self-registration is offered or accepted; a receiver returns why
#: it is closed (an object the sign-up page shows: ``event``, ``closed_at``, ``next_event``,
#: ``next_opens_at``) or None. The events domain answers: closed once the call is over.
signup_status = _signals.signal("signup-status")
