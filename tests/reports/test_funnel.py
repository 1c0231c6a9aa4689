"""The funnel of each event, checked against the rows it counts, with the same six queries
however many events it covers."""

from __future__ import annotations

from sqlalchemy import event as sa_event

from roadshow.extensions import db
from roadshow.reports.funnel import Funnel, funnel_by_event

STATUSES = ["submitted", "finalist", "finalist", "not_selected", "draft", "withdrawn", "finalist"]
COUNTRIES = ["DE", "DE", "US", "", "JP", "FR", "GB"]


def _expected(filled) -> Funnel:
    sent = [a for a in filled.applications
            if a.status.value in ("submitted", "finalist", "not_selected")]
    return Funnel(
        submitted=len(sent),
        countries=len({a.country for a in sent if a.country}),
        finalists=sum(a.status.value == "finalist" for a in filled.applications),
        pitched=len(filled.pitched),
        intents_signed=sum(i.state.value == "completed" for i in filled.intents),
    )


def test_each_events_funnel_counts_its_own_rows(make_event, make_district, fill):
    district = make_district()
    first, second = make_event(phase="finished"), make_event(phase="call")
    a = fill(first, STATUSES, COUNTRIES, district=district, pitched=2, signed=1, drafted=1)
    b = fill(second, ["submitted", "draft"], ["CA", "CA"], district=district)
    funnels = funnel_by_event(db.session, [first.id, second.id])
    assert funnels[first.id] == _expected(a)
    assert funnels[first.id] == Funnel(submitted=5, countries=3, finalists=3, pitched=2,
                                       intents_signed=1)
    assert funnels[second.id] == _expected(b) == Funnel(submitted=1, countries=1)
    assert funnels[first.id].landed == 0  # no project has landed (tests/outcomes count them)


def test_an_event_without_rows_has_a_funnel_of_zeros(make_event):
    event = make_event()
    assert funnel_by_event(db.session, [event.id]) == {event.id: Funnel()}
    assert funnel_by_event(db.session, []) == {}


def test_the_funnel_takes_six_queries_whatever_the_number_of_events(make_event, make_district,
                                                                     fill):
    district = make_district()
    events = [make_event() for _ in range(6)]
    for event in events:
        fill(event, ["finalist", "submitted"], ["DE", "US"], district=district, pitched=1,
             signed=1)
    ids = [event.id for event in events]
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        funnel_by_event(db.session, ids[:1])
        one = len(statements)
        statements.clear()
        many = funnel_by_event(db.session, ids)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert one == len(statements) == 6
    assert all(f == Funnel(submitted=2, countries=2, finalists=1, pitched=1, intents_signed=1)
               for f in many.values())


def test_funnels_of_several_events_add_up():
    total = Funnel(1, 2, 3, 4, 5) + Funnel(10, 20, 30, 40, 50)
    assert total == Funnel(11, 22, 33, 44, 55, 0)
    assert (Funnel(landed=2) + Funnel(landed=None)).landed == 2
