"""The state an event is grouped under (issue 13, §4: organizer home, dashboard, header)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from roadshow.events.kinds import DEFAULT_STAGES, STAGES
from roadshow.events.phases import PHASE_ORDER, PhaseState, PhaseWindow, phase_state
from roadshow.events.states import ACTIVE_STATES, STATES, event_state, is_finished

T0 = datetime(2026, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)
ALL = DEFAULT_STAGES["roadshow"]
SYMPOSIUM = DEFAULT_STAGES["symposium"]


def _windows() -> list[PhaseWindow]:
    # call 1-10, review 12-20, roadshow 22-24, signing 25-40 (days after T0)
    spans = {"call": (1, 10), "review": (12, 20), "roadshow": (22, 24), "signing": (25, 40)}
    return [PhaseWindow(kind, T0 + a * DAY, T0 + b * DAY) for kind, (a, b) in spans.items()]


def _at(day: float, stages=ALL, published=True, archived_at=None, override=None) -> str:
    return event_state(phase_state(_windows(), T0 + day * DAY, override), published, archived_at, stages)


def test_each_phase_gives_its_state():
    assert _at(5) == "call_open"
    assert _at(15) == "in_review"
    assert _at(23) == "roadshow_days"
    assert _at(30) == "signing"
    assert _at(41) == "finished"


def test_between_phases_and_before_the_call_the_next_phase_names_the_state():
    assert _at(0) == "call_open"
    assert _at(11) == "in_review"
    assert _at(21) == "roadshow_days"


def test_archived_wins_over_everything_then_unpublished():
    assert _at(5, archived_at=T0) == "archived"
    assert _at(5, published=False, archived_at=T0) == "archived"
    assert _at(41, published=False) == "draft"


def test_an_event_without_signing_is_finished_after_its_programme_days():
    assert _at(23, stages=SYMPOSIUM) == "roadshow_days"
    assert _at(24.5, stages=SYMPOSIUM) == "finished"
    assert _at(30, stages=SYMPOSIUM) == "finished"
    assert is_finished(phase_state(_windows(), T0 + 30 * DAY), SYMPOSIUM)
    assert not is_finished(phase_state(_windows(), T0 + 30 * DAY), ALL)


def test_a_review_phase_of_an_event_without_review_leads_to_its_programme():
    assert _at(15, stages=SYMPOSIUM) == "roadshow_days"
    assert _at(11, stages=SYMPOSIUM) == "roadshow_days"


def test_the_organizers_hand_sets_the_state():
    assert _at(5, override="signing") == "signing"
    assert _at(41, override="review") == "in_review"


@given(st.sets(st.sampled_from(STAGES)), st.floats(-5, 50), st.booleans(),
       st.sampled_from([None, *PHASE_ORDER]))
def test_every_event_has_one_of_the_known_states(stages, day, published, override):
    state = _at(day, stages=stages, published=published, override=override)
    assert state in STATES
    if not published:
        assert state == "draft"
    if state in ACTIVE_STATES:
        phase = {"call_open": "call", "in_review": "review", "roadshow_days": "roadshow",
                 "signing": "signing"}[state]
        runs = {"call": {"call"}, "review": {"review"}, "roadshow": {"schedule", "live"},
                "signing": {"signing"}}[phase]
        assert runs & set(stages), (state, stages)


def test_an_event_without_dates_heads_for_its_first_stage():
    empty = PhaseState(current=None, upcoming=None, upcoming_starts_at=None, by_hand=False, ended=False)
    assert event_state(empty, True, None, ALL) == "call_open"
    assert event_state(empty, True, None, {"schedule"}) == "roadshow_days"
