"""Counts on the people page read right with one and with more; the Chinese reads as before."""

from __future__ import annotations

from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG

PEOPLE = f"/o/{DEFAULT_ORGANISATION_SLUG}/people?role=judge"


def test_the_people_page_counts_one_person_and_more(login_as, make_user, make_event):
    make_event()  # the office's event, where its judges judge
    organizer, _ = login_as("organizer")
    make_user("judge", name="Judge Judy")
    assert "1 person found." in organizer.get(PEOPLE).get_data(as_text=True)
    make_user("judge", name="Judge Dredd")
    assert "2 people found." in organizer.get(PEOPLE).get_data(as_text=True)


def test_the_chinese_people_count_reads_as_before(login_as, make_user, make_event):
    make_event()
    organizer, _ = login_as("organizer", locale="zh_Hans_CN")
    make_user("judge", name="Judge Judy")
    assert "共找到 1 人。" in organizer.get(PEOPLE).get_data(as_text=True)
