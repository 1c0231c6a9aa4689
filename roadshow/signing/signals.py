"""Signals other domains listen to.

``intent_completed`` is sent once an intent's last signature is committed (never for a change
that rolls back), with ``intent_id``, ``application_id`` and ``district_id``; the live room
shows the ceremony.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

intent_completed = _signals.signal("signing-intent-completed")
