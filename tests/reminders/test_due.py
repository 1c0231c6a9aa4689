"""Which reminders are due at a moment: a pitch's day-before and hour-before reminders, never
late, a new one when the pitch moves; a deadline's reminder within its lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from roadshow.reminders.due import Moment, before_deadline, pitch_reminders

PITCH = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def kinds_at(now, at=PITCH):
    return [due.kind for due in pitch_reminders([Moment(7, 42, at)], now)]


def test_a_pitch_is_reminded_a_day_and_an_hour_before_and_never_after():
    assert kinds_at(PITCH - timedelta(hours=24, seconds=1)) == []
    assert kinds_at(PITCH - timedelta(hours=24)) == ["pitch24"]
    assert kinds_at(PITCH - timedelta(hours=2)) == ["pitch24"]
    assert kinds_at(PITCH - timedelta(minutes=59)) == ["pitch1"]
    assert kinds_at(PITCH) == []


def test_the_key_names_the_slot_the_person_and_the_time_so_a_new_time_is_a_new_reminder():
    [before] = pitch_reminders([Moment(7, 42, PITCH)], PITCH - timedelta(hours=3))
    [again] = pitch_reminders([Moment(7, 42, PITCH)], PITCH - timedelta(hours=2))
    assert before.dedupe_key == again.dedupe_key == f"pitch24:7:42:{int(PITCH.timestamp())}"
    moved = PITCH + timedelta(days=1)
    [after] = pitch_reminders([Moment(7, 42, moved)], moved - timedelta(hours=3))
    assert after.dedupe_key != before.dedupe_key
    assert (after.user_id, after.subject_id, after.at) == (42, 7, moved)


def test_a_deadline_is_reminded_within_its_lead_only():
    closes = datetime(2026, 12, 20, 16, 0, tzinfo=UTC)
    moments = [Moment(3, 1, closes), Moment(3, 2, closes + timedelta(days=5))]
    due = before_deadline("review_closing", moments, timedelta(days=2), closes - timedelta(days=1))
    assert [(d.kind, d.user_id) for d in due] == [("review_closing", 1)]
    assert before_deadline("review_closing", moments, timedelta(days=2), closes) == []
