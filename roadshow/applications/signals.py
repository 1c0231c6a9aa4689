"""Signals other domains listen to.

``application_withdrawn`` is sent by :func:`roadshow.applications.submission.withdraw` inside the
withdrawal's unit of work, with ``session``, ``application``, ``actor`` and ``previous_status``,
after the status changed and before anything is committed. A receiver writes through that
session, so its changes commit with the withdrawal; a receiver that raises undoes the whole
withdrawal (the view commits nothing). The scheduling domain frees the finalist's pitch slot.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

application_withdrawn = _signals.signal("application-withdrawn")
