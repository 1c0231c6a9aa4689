"""Counts on the schedule pages read right with one and with more; the Chinese reads as before."""

from __future__ import annotations

from roadshow.accounts.roles import Role
from tests.many_events_fixtures import event_url
from tests.scheduling.conftest import DAY1

#: a session of 12 + 8 minute slots: 08:00-08:20 holds one, 08:00-08:40 two
SESSION_FORM = {"title_zh": "上午场", "title_en": "Morning", "day": DAY1.isoformat(), "start": "08:00",
                "track_id": "0", "join_url": "https://meeting.example.org/j/1", "pitch_minutes": "12",
                "qa_minutes": "8", "breaks": "", "district_minutes": "10"}


def _save_session(client, event, end):
    return client.post(event_url(event, "/schedule/manage/sessions/new"), data=SESSION_FORM | {"end": end},
                       follow_redirects=True).get_data(as_text=True)


def test_a_session_with_one_pitch_slot_says_slot_and_with_two_says_slots(event, make_user, login_as):
    client, _ = login_as(make_user(Role.ORGANIZER, locale="en"))
    page = _save_session(client, event, "08:20")
    assert "The session was saved with 1 pitch slot." in page
    page = _save_session(client, event, "08:40")
    assert "The session was saved with 2 pitch slots." in page


def test_the_chinese_session_message_reads_as_before(event, organizer, login_as):
    client, _ = login_as(organizer)
    assert "场次已保存，共 1 个路演时段。" in _save_session(client, event, "08:20")


def test_one_proposed_finalist_and_one_session_read_in_the_singular(event, make_user, make_finalist,
                                                                    make_session, login_as):
    make_session(DAY1, "08:00", "10:00")
    make_finalist("Asia/Shanghai")
    client, _ = login_as(make_user(Role.ORGANIZER, locale="en"))
    page = client.post(event_url(event, "/schedule/manage/propose"), follow_redirects=True).get_data(as_text=True)
    assert "Proposal ready: 1 finalist placed; total inconvenience 0 minutes outside" in page
    programme = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    assert "1 session (0 published), 1 pitch placed." in programme


def test_two_proposed_finalists_and_two_sessions_read_in_the_plural(event, make_user, make_finalist,
                                                                    make_session, login_as):
    make_session(DAY1, "08:00", "10:00")
    make_session(DAY1, "14:00", "16:00", title="Afternoon")
    make_finalist("Asia/Shanghai"), make_finalist("Asia/Shanghai")
    client, _ = login_as(make_user(Role.ORGANIZER, locale="en"))
    page = client.post(event_url(event, "/schedule/manage/propose"), follow_redirects=True).get_data(as_text=True)
    assert "Proposal ready: all 2 finalists placed; total inconvenience 0 minutes outside" in page
    assert "2 sessions (0 published), 2 pitches placed." in client.get(event_url(event, "/schedule/")).get_data(as_text=True)


def test_the_chinese_dashboard_and_proposal_read_as_before(event, organizer, make_finalist, make_session,
                                                           login_as):
    make_session(DAY1, "08:00", "10:00")
    make_finalist("Asia/Shanghai")
    client, _ = login_as(organizer)
    page = client.post(event_url(event, "/schedule/manage/propose"), follow_redirects=True).get_data(as_text=True)
    assert "排程方案已生成：全部 1 个入围项目均已安排；落在当地 09:00-19:00 之外的时间合计 0 分钟" in page
    assert "共 1 个场次（已发布 0 个），已安排 1 个路演。" in client.get(event_url(event, "/schedule/")).get_data(as_text=True)
