"""The programme and the schedule editor write Chinese with full-width punctuation: a label's
colon and the editor's bracketed draft count are part of their translations."""

from __future__ import annotations

import re

from roadshow.extensions import db
from roadshow.scheduling import pitch_sessions, placement
from roadshow.scheduling.models import SlotKind
from tests.many_events_fixtures import event_url


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def test_the_programme_names_the_join_link_with_a_full_width_colon(client, auth, organizer,
                                                                    make_session, event):
    make_session()
    auth.login(organizer)
    chinese = _text(client.get(event_url(event, "/schedule/")).get_data(as_text=True))
    assert "参会链接：" in chinese
    assert "参会链接:" not in chinese
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Join link: https://meeting.example.org/j/123456" in _text(
        client.get(event_url(event, "/schedule/")).get_data(as_text=True))


def test_the_editor_brackets_its_draft_count_with_full_width_brackets(client, auth, organizer,
                                                                       make_session, event):
    make_session()
    db.session.commit()
    auth.login(organizer)
    chinese = _text(client.get(event_url(event, "/schedule/manage")).get_data(as_text=True))
    assert "个场次（1 个草稿）" in chinese
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "sessions (1 draft)" in _text(client.get(event_url(event, "/schedule/manage")).get_data(as_text=True))


def test_planned_sessions_past_the_readers_midnight_name_the_day_they_end(client, auth,
                                                                         make_finalist,
                                                                         make_session, event):
    make_session(start="14:00", end="17:40", title="Afternoon")  # 22:00-01:40 in Los Angeles
    finalist = make_finalist("America/Los_Angeles", locale="zh_Hans_CN").applicant
    auth.login(finalist)
    chinese = _text(client.get(event_url(event, "/schedule/availability")).get_data(as_text=True))
    [line] = [part for part in chinese.split("Afternoon场")[1:2]]
    assert line.startswith("：")
    assert "– 01:40 (" not in line  # the end falls on the next day: its date is named
    assert "（活动时间 14:00" in line
    client.post("/language", data={"locale": "en", "next": "/"})
    english = _text(client.get(event_url(event, "/schedule/availability")).get_data(as_text=True))
    assert "Afternoon: " in english
    assert "– 01:40 (" not in english
    assert "(event time 14:00" in english


def test_my_pitch_names_its_event_time_after_a_full_width_colon_without_a_space(
        make_session, make_finalist, organizer, event, login_as):
    ps = make_session(start="09:00", end="11:00")
    finalist = make_finalist("America/Los_Angeles", locale="zh_Hans_CN")
    slot = next(s for s in ps.slots if s.kind == SlotKind.PITCH)
    placement.place(db.session, organizer, slot, finalist)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    client, _ = login_as(finalist.applicant)
    chinese = _text(client.get(event_url(event, "/schedule/")).get_data(as_text=True))
    assert re.search(r"活动时间：\d{4}年", chinese)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert re.search(r"Event time: \w{3}, ",
                     _text(client.get(event_url(event, "/schedule/")).get_data(as_text=True)))
