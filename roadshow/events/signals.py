"""Signals later stages of the funnel listen to (events imports none of them).

``event_copied`` is sent by :func:`roadshow.events.copying.copy_event` inside the copy's unit of
work, after the new event holds its texts, kind, stages, tracks, questions, districts and
shifted phases (flushed, so ``target.id`` and ``target.tracks`` are set). Keyword arguments:

- ``session``: the SQLAlchemy session; a receiver writes through it so that its rows commit
  with the copy (or roll back with it);
- ``source``: the event copied from; ``target``: the new event;
- ``shift``: a :class:`roadshow.events.dateshift.Shift`; ``shift(moment)`` moves an aware UTC
  datetime of the source to the same wall-clock time, ``shift.days`` days later, in the
  target's zone (``shift.apply(moment)`` also says whether a skipped local time moved forward).

Receivers copy what is theirs and nothing personal: review the rubric and settings, scheduling
the session layout, signing (issue 17) its templates. The sender is the string ``"events"``.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

event_copied = _signals.signal("event-copied")
