"""Placing by hand never double-books a finalist (issue 18): placing them in a second slot frees
the first (unpinned, its calendar sequence raised so the change is sent), in the same session or
another; the hand-edit check would warn of a finalist in two slots."""

from __future__ import annotations

from roadshow.extensions import db
from roadshow.scheduling import placement, proposals
from roadshow.scheduling.models import SlotKind
from tests.scheduling.conftest import DAY1, DAY2


def pitch_slots(pitch_session):
    return [s for s in pitch_session.slots if s.kind == SlotKind.PITCH]


def test_placing_a_finalist_in_a_second_slot_frees_the_first(make_finalist, make_session, event,
                                                             organizer):
    first, second, _third = pitch_slots(make_session(DAY1, "08:00", "09:00"))
    finalist = make_finalist("Asia/Shanghai")
    placement.place(db.session, organizer, first, finalist)
    sequence = first.sequence
    found = placement.place(db.session, organizer, second, finalist)
    db.session.commit()
    assert (first.application_id, first.pinned) == (None, False)
    assert first.sequence == sequence + 1
    assert (second.application_id, second.pinned) == (finalist.id, True)
    assert [w.kind for w in found] == []
    assert [w for w in proposals.warnings(db.session, event) if w.kind == "double_booked"] == []


def test_placing_a_finalist_in_another_session_frees_their_slot_in_the_first(
        make_finalist, make_session, event, organizer):
    morning = pitch_slots(make_session(DAY1, "08:00", "09:00"))
    evening = pitch_slots(make_session(DAY2, "08:00", "09:00", title="Evening"))
    finalist = make_finalist("Asia/Shanghai")
    placement.place(db.session, organizer, morning[0], finalist)
    placement.place(db.session, organizer, evening[1], finalist)
    db.session.commit()
    holding = [s.id for s in morning + evening if s.application_id == finalist.id]
    assert holding == [evening[1].id]


def test_placing_a_finalist_again_in_their_own_slot_changes_nothing(make_finalist, make_session,
                                                                    event, organizer):
    first, *_ = pitch_slots(make_session(DAY1, "08:00", "09:00"))
    finalist = make_finalist("Asia/Shanghai")
    placement.place(db.session, organizer, first, finalist)
    sequence = first.sequence
    placement.place(db.session, organizer, first, finalist)
    assert (first.application_id, first.sequence) == (finalist.id, sequence)
