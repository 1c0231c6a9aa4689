"""The open calls found in SQL are the events whose call ``phases.call_is_open`` says is open."""

from __future__ import annotations

from datetime import timedelta

from roadshow.db import utcnow
from roadshow.events import services
from roadshow.events.models import PhaseKind
from tests.many_events_fixtures import build_event


def test_open_calls_are_those_the_phase_rules_call_open(app, db) -> None:
    events = {
        "open": build_event(db.session, phase="call"),
        "in review": build_event(db.session, phase="review"),
        "finished": build_event(db.session, phase="finished"),
        "reopened by hand": build_event(db.session, phase="review",
                                        phase_override=PhaseKind.CALL),
        "moved on by hand": build_event(db.session, phase="call",
                                        phase_override=PhaseKind.REVIEW),
        "closed by hand": build_event(db.session, phase="call", call_closed_by_hand=True),
        "unpublished": build_event(db.session, phase="call", published=False),
        "archived": build_event(db.session, phase="call", archived=True),
        "no call stage": build_event(db.session, kind="symposium", phase="call", stage_call=False),
    }
    soon = build_event(db.session, phase="call")  # its call opens in an hour
    call = next(p for p in soon.phases if p.kind == PhaseKind.CALL)
    call.starts_at = utcnow() + timedelta(hours=1)
    db.session.commit()

    now = utcnow()
    found = services.open_calls(db.session, now)
    by_rules = services.open_calls(db.session, now, events=services.calls(db.session))

    assert [e.id for e in found] == [e.id for e in by_rules]
    assert {e.id for e in found} == {events["open"].id, events["reopened by hand"].id}
    assert soon not in found
    # an hour and a minute later the call that was to come is open too
    later = services.open_calls(db.session, now + timedelta(hours=1, minutes=1))
    assert soon.id in {e.id for e in later}
