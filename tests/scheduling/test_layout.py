"""The programme as Chromium lays it out on a phone and a tablet, in both languages: the answer
to an appointment (its badge and the two buttons) and the short labels keep one line each and
stay on screen, instead of being squeezed into a column one character wide.

The pages come from the Flask test client through ``tests.in_browser``: no server process."""

from __future__ import annotations

import pytest

from roadshow.extensions import db
from roadshow.scheduling import pitch_sessions, proposals
from tests.in_browser import lines_of, page_through
from tests.many_events_fixtures import event_url
from tests.scheduling.conftest import DAY1

pytestmark = pytest.mark.e2e



@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
@pytest.mark.parametrize("width", [375, 768])
def test_programme_keeps_the_answer_and_short_labels_on_one_line_each(
        browser, event, organizer, make_finalist, make_session, login_as, locale, width):
    make_session(DAY1, "08:00", "10:00")
    app = make_finalist("America/Argentina/Buenos_Aires", locale=locale)
    proposals.propose(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    client, _user = login_as(app.applicant)
    page = page_through(browser, client, width)
    try:
        page.goto(event_url(event, "/schedule/"))
        answer = lines_of(page, "#mine form .badge, #mine form button")
        labels = lines_of(page, ".table-programme td:nth-child(3), #mine .btn, "
                                          ".table-programme .btn")
    finally:
        page.context.close()
    assert len(answer) == 3  # "no answer yet", "I will attend", "I cannot attend"
    for text, lines, room_right in answer:
        assert lines == 1, (text, lines)
        assert room_right >= 0, (text, room_right)
    assert len(labels) >= 7  # six slots' type, the .ics buttons
    assert [(text, lines) for text, lines, _room in labels if lines != 1] == []


#: how far the page and each table scroll sideways (0: they fit the window)
OVERFLOW_JS = """() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    tables: [...document.querySelectorAll('.table-programme')].map(t => {
        const box = t.closest('.table-responsive') || t.parentElement;
        return box.scrollWidth - box.clientWidth;
    }),
})"""


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_the_programme_fits_a_phone_without_sideways_scrolling(
        browser, event, organizer, make_finalist, make_session, login_as, locale):
    make_session(DAY1, "08:00", "10:00", districts=[event.districts[1]])
    app = make_finalist("America/Los_Angeles", locale=locale)
    proposals.propose(db.session, organizer, event)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    client, _user = login_as(app.applicant)
    page = page_through(browser, client, 375)
    try:
        page.goto(event_url(event, "/schedule/"))
        overflow = page.evaluate(OVERFLOW_JS)
        times = lines_of(page, ".table-programme td:nth-child(1)")
    finally:
        page.context.close()
    assert overflow["page"] <= 0
    assert overflow["tables"]
    assert [o for o in overflow["tables"] if o > 0] == []
    # each slot's time, with its zone named, is on screen
    assert times
    assert all("America/Los_Angeles" in text and room >= 0 for text, _lines, room in times), times


@pytest.mark.parametrize("width", [375, 1280])
def test_the_schedule_editor_keeps_each_slot_type_on_one_line(
        browser, event, organizer, make_finalist, make_session, login_as, width):
    make_session(DAY1, "08:00", "10:00", districts=event.districts)
    make_finalist("America/Los_Angeles", name="Alexandra Konstantinopoulou-Vandenberghe")
    proposals.propose(db.session, organizer, event)
    db.session.commit()
    client, _user = login_as(organizer)  # reads Chinese
    page = page_through(browser, client, width)
    try:
        page.goto(event_url(event, "/schedule/manage"))
        types = lines_of(page, "tr[id^='slot-'] td:nth-child(3)")
    finally:
        page.context.close()
    assert any("板块推介" in text for text, _lines, _room in types), types
    assert [(text, lines) for text, lines, _room in types if lines != 1] == []
