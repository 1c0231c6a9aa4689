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
#: sent with ``session``, ``invitation`` and ``user`` when an invitation is accepted, in the same
#: unit of work: the organisations domain grants what it names (a membership of its organisation,
#: or a role in its event) through its services. Accounts build below organisations, so they
#: announce rather than import.
invitation_accepted = _signals.signal("invitation-accepted")
