"""Signals later stages of the funnel answer or listen to (review imports none of them).

``finalist_commitments`` is sent by :func:`roadshow.review.finalist_selection.plan_selection` with
``session``, ``event`` and ``application_ids`` (current finalists). Each receiver returns a
mapping ``{application_id: datetime}``: the start (UTC) of the pitch it holds for that finalist.
The scheduling domain answers with the pitch slots. A finalist with a pitch is never demoted by
a new selection unless the organizer confirms it by name.

``finalist_demoted`` is sent by :func:`roadshow.review.finalist_selection.send_decisions` inside the
sending's unit of work, with ``session``, ``application`` and ``actor``, when a finalist's
application becomes NOT_SELECTED. A receiver writes through that session so its changes
commit with the decision; the scheduling domain frees the pitch slots still to come.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

finalist_commitments = _signals.signal("finalist-commitments")
finalist_demoted = _signals.signal("finalist-demoted")
