"""Programme rows past midnight say which day they are on; the others show the time alone
under the session's dated heading. Every time names its zone."""

from __future__ import annotations

import re

from roadshow.extensions import db
from roadshow.scheduling import pitch_sessions
from tests.many_events_fixtures import event_url


def test_a_row_past_midnight_names_its_date_and_zone(make_session, organizer, event, login_as):
    ps = make_session(start="23:00", end="01:00", title="Late")
    pitch_sessions.publish(db.session, organizer, event)
    organizer.timezone = "Asia/Shanghai"
    organizer.locale = "en"
    db.session.commit()
    client, _ = login_as(organizer)
    page = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    rows = re.findall(r'<tr id="slot-\d+"[^>]*>\s*<td>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>', page)
    assert len(rows) == len(ps.slots) >= 5
    before = [mine for mine, _event in rows if mine.startswith("23:")]
    after = [mine for mine, _event in rows if not mine.startswith("23:")]
    assert before
    assert after
    assert all("(Asia/Shanghai" in text for text, _e in rows)
    assert all(re.match(r"23:\d\d \(", text) for text in before)  # under the dated heading
    for text in after:  # past midnight: the next day is named
        assert re.match(r"[A-Z][a-z]{2}, [A-Z][a-z]{2} \d+, 0\d:\d\d", text), text
    assert all(re.match(r"[A-Z][a-z]{2}, [A-Z][a-z]{2} \d+, 0\d:\d\d", e) for m, e in rows
               if not m.startswith("23:"))
