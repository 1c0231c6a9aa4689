"""The pitch scheduler: availability is never violated, pins stay, the impossible is explained."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadshow.scheduling.solver import (
    ApplicantIn,
    SlotIn,
    check,
    explain_unplaceable,
    inconvenience,
    solve,
)
from roadshow.scheduling.timeutil import default_windows, interval, slot_times

T0 = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # 08:00 in Beijing


def slots_from(start: datetime, count: int, minutes: int = 20, session: int = 1,
               track: int | None = None, first_id: int = 1) -> list[SlotIn]:
    times = slot_times(start, start + timedelta(minutes=minutes * count), minutes)
    return [SlotIn(first_id + i, a, b, session, track) for i, (a, b) in enumerate(times)]


def applicant(i: int, zone: str, windows=None, track: int | None = None) -> ApplicantIn:
    if windows is None:
        windows = default_windows(T0 - timedelta(days=1), T0 + timedelta(days=2), zone)
    return ApplicantIn(i, f"Finalist {i}", zone, tuple(windows), track)


def inside(app: ApplicantIn, slot: SlotIn) -> bool:
    return any(a <= slot.starts_at and slot.ends_at <= b for a, b in app.windows)


def test_inconvenience_counts_minutes_before_nine_and_after_seven_local():
    # 08:00 Beijing is 19:00 the evening before in New York (winter): right at the edge
    assert inconvenience(T0, T0 + timedelta(minutes=20), "America/New_York") == 20
    assert inconvenience(T0, T0 + timedelta(minutes=20), "Asia/Shanghai") == 60
    noon = T0 + timedelta(hours=4)
    assert inconvenience(noon, noon + timedelta(minutes=20), "Asia/Shanghai") == 0
    # 02:00 local counts as the tail of the evening: seven hours past 19:00
    two_am = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # 02:00 in New York
    assert inconvenience(two_am, two_am + timedelta(minutes=20), "America/New_York") == 7 * 60 + 20


def test_every_finalist_pitches_inside_their_availability_at_the_least_inconvenient_time():
    # evening Beijing session (19:00-21:00) and a morning one (08:00-10:00)
    morning = slots_from(T0, 6, session=1)
    evening = slots_from(T0 + timedelta(hours=11), 6, session=2, first_id=100)
    apps = [applicant(1, "America/Los_Angeles"), applicant(2, "Europe/Amsterdam"),
            applicant(3, "Australia/Sydney"), applicant(4, "America/New_York")]
    result = solve(apps, morning + evening)
    assert result.complete
    assert result.status == "optimal"
    by_id = {s.id: s for s in morning + evening}
    for app in apps:
        assert inside(app, by_id[result.assignment[app.id]])
    # Amsterdam cannot pitch at 08:00 Beijing (01:00 there): it goes to the evening session
    assert result.assignment[2] >= 100
    assert result.objective == sum(result.inconvenience.values())
    assert result.bound == result.objective
    assert result.gap == 0


def test_the_same_input_gives_the_same_schedule():
    slots = slots_from(T0, 12) + slots_from(T0 + timedelta(hours=11), 12, session=2, first_id=50)
    apps = [applicant(i, z) for i, z in enumerate(
        ["America/New_York", "Europe/Amsterdam", "Asia/Shanghai", "Australia/Sydney"] * 3, start=1)]
    first = solve(apps, slots)
    for _ in range(2):
        again = solve(list(reversed(apps)), list(reversed(slots)))
        assert again.assignment == first.assignment
        assert again.objective == first.objective


def test_pinned_slots_stay_even_when_another_placement_would_be_cheaper():
    slots = slots_from(T0, 4)
    pinned = SlotIn(slots[0].id, slots[0].starts_at, slots[0].ends_at, 1, None, 2, True)
    apps = [applicant(1, "Asia/Shanghai"), applicant(2, "Asia/Shanghai")]
    result = solve(apps, [pinned, *slots[1:]])
    assert result.assignment[2] == pinned.id
    assert result.assignment[1] != pinned.id


def test_a_pinned_empty_slot_is_kept_empty():
    slots = slots_from(T0, 2)
    kept_empty = SlotIn(slots[0].id, slots[0].starts_at, slots[0].ends_at, 1, None, None, True)
    result = solve([applicant(1, "Asia/Shanghai")], [kept_empty, slots[1]])
    assert result.assignment == {1: slots[1].id}


def test_sessions_keep_their_track_where_availability_allows():
    health = slots_from(T0 + timedelta(hours=2), 2, session=1, track=1)
    energy = slots_from(T0 + timedelta(hours=3), 2, session=2, track=2, first_id=10)
    apps = [applicant(1, "Asia/Shanghai", track=2), applicant(2, "Asia/Shanghai", track=1),
            applicant(3, "Asia/Shanghai", track=2), applicant(4, "Asia/Shanghai", track=1)]
    result = solve(apps, health + energy)
    assert {result.assignment[2], result.assignment[4]} == {s.id for s in health}
    assert {result.assignment[1], result.assignment[3]} == {s.id for s in energy}


def test_sessions_open_to_every_track_are_regrouped_by_track_at_no_cost():
    # two open sessions at noon Beijing, equally convenient for everyone in Shanghai
    first = slots_from(T0 + timedelta(hours=4), 3, session=1)
    second = slots_from(T0 + timedelta(hours=5), 3, session=2, first_id=10)
    apps = [applicant(i, "Asia/Shanghai", track=t) for i, t in enumerate([1, 2, 1, 2, 1, 2], start=1)]
    result = solve(apps, first + second)
    assert result.objective == 0
    assert result.mixed_tracks == 0
    sessions = {a.track_id: set() for a in apps}
    by_id = {s.id: s for s in first + second}
    for app in apps:
        sessions[app.track_id].add(by_id[result.assignment[app.id]].session_id)
    assert all(len(v) == 1 for v in sessions.values())


def test_a_finalist_with_no_fitting_slot_is_named_with_the_reason():
    slots = slots_from(T0, 3)  # 08:00-09:00 Beijing = 01:00-02:00 in Amsterdam
    apps = [applicant(1, "Asia/Shanghai"), applicant(2, "Europe/Amsterdam")]
    result = solve(apps, slots)
    assert result.status == "partial"
    assert 1 in result.assignment
    [missing] = result.unplaced
    assert (missing.application_id, missing.name, missing.reason) == (2, "Finalist 2", "outside_availability")


def test_finalists_competing_for_too_few_slots_are_named_with_their_rivals():
    slots = slots_from(T0 + timedelta(hours=12), 2)  # 20:00-20:40 Beijing
    narrow = [interval(T0.date(), time(20), time(21), "Asia/Shanghai")]
    apps = [applicant(i, "Asia/Shanghai", windows=narrow) for i in (1, 2, 3)]
    apps.append(applicant(4, "Asia/Shanghai", windows=[]))
    result = solve(apps, slots)
    assert len(result.assignment) == 2
    reasons = {u.application_id: u for u in result.unplaced}
    assert reasons[4].reason == "no_availability"
    [competing] = [u for u in result.unplaced if u.reason == "competition"]
    assert set(competing.feasible_slots) == {s.id for s in slots}
    assert len(competing.competitors) == 2
    assert competing.name not in competing.competitors


def test_explanation_is_empty_when_a_complete_schedule_exists():
    slots = slots_from(T0 + timedelta(hours=3), 3)
    assert explain_unplaceable([applicant(i, "Asia/Shanghai") for i in (1, 2, 3)], slots) == []


def test_hand_edits_are_checked_for_availability_and_double_booking():
    slots = slots_from(T0, 3)
    apps = [applicant(1, "Europe/Amsterdam"), applicant(2, "Asia/Shanghai")]
    found = check([(1, slots[0].id), (2, slots[1].id), (2, slots[2].id)], apps, slots)
    kinds = {(w.kind, w.application_id) for w in found}
    assert ("outside_availability", 1) in kinds
    assert ("double_booked", 2) in kinds
    assert ("outside_availability", 2) not in kinds


ZONES = ["America/New_York", "America/Los_Angeles", "Europe/Amsterdam", "Australia/Sydney",
         "Asia/Shanghai", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Auckland"]


@st.composite
def instances(draw):
    n_slots = draw(st.integers(1, 14))
    start_hour = draw(st.integers(0, 23))
    start = T0 + timedelta(hours=start_hour)
    slots = slots_from(start, n_slots, minutes=draw(st.sampled_from([15, 20, 30])),
                       track=draw(st.sampled_from([None, 1, 2])))
    apps = []
    for i in range(1, draw(st.integers(1, 10)) + 1):
        zone = draw(st.sampled_from(ZONES))
        if draw(st.booleans()):
            windows = default_windows(T0 - timedelta(days=1), T0 + timedelta(days=2), zone)
        else:
            a = start + timedelta(minutes=draw(st.integers(-120, 300)))
            windows = [(a, a + timedelta(minutes=draw(st.integers(0, 240))))]
        apps.append(applicant(i, zone, windows, draw(st.sampled_from([None, 1, 2]))))
    pin = draw(st.booleans())
    if pin:
        for _k, app in enumerate(apps):
            fits = [s for s in slots if inside(app, s)]
            if fits:
                s = fits[0]
                slots[slots.index(s)] = SlotIn(s.id, s.starts_at, s.ends_at, 1, s.track_id, app.id, True)
                break
    return apps, slots


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_instances_respect_availability_pins_and_capacity(instance):
    apps, slots = instance
    result = solve(apps, slots)
    by_slot = {s.id: s for s in slots}
    by_app = {a.id: a for a in apps}
    # one finalist per slot, one slot per finalist
    assert len(set(result.assignment.values())) == len(result.assignment)
    for app_id, slot_id in result.assignment.items():
        slot = by_slot[slot_id]
        if slot.pinned:
            assert slot.pinned_application == app_id
        else:
            assert inside(by_app[app_id], slot), "a pitch outside the applicant's availability"
    for s in slots:
        if s.pinned and s.pinned_application:
            assert result.assignment[s.pinned_application] == s.id
    # everyone is either placed or named, never both
    named = {u.application_id for u in result.unplaced}
    assert named.isdisjoint(result.assignment)
    assert named | set(result.assignment) == set(by_app)
    # as many as can be placed are placed: the explanation agrees with the solver
    assert named == {u.application_id for u in explain_unplaceable(apps, slots)}
    assert result.objective == sum(result.inconvenience[a] for a in result.assignment
                                   if not by_slot[result.assignment[a]].pinned) + sum(
        90 for a, s in result.assignment.items()
        if not by_slot[s].pinned and by_slot[s].track_id is not None
        and by_app[a].track_id is not None and by_slot[s].track_id != by_app[a].track_id)
