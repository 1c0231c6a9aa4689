"""A phase typed with a year far off (9999, 0001: a slip of the keyboard) is refused by its
field in the organizer's language with the whole event form kept, instead of overflowing into a
bare 400 page that lost the descriptions and tracks typed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.events.models import Event
from tests.events.test_event_admin import event_form
from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG


@pytest.mark.parametrize("override", [
    {"call-ends_at": "9999-12-31T23:59"},
    {"call-starts_at": "0001-01-01T00:00", "timezone": "Asia/Shanghai"},
    {"review-starts_at": "2300-01-01T00:00"},
])
def test_a_year_far_off_is_refused_by_its_field_and_the_form_kept(login_as, db, override):
    client, _ = login_as("organizer")
    response = client.post(f"/o/{DEFAULT_ORGANISATION_SLUG}/events/new", data=event_form(**override))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a year between 2000 and 2100." in page
    assert "New York Talent Roadshow" in page
    assert "生物医药" in page
    assert db.session.scalar(select(Event)) is None


def test_the_refusal_reads_in_chinese(login_as, db):
    client, organizer = login_as("organizer")
    organizer.locale = "zh_Hans_CN"
    db.session.commit()
    page = client.post(f"/o/{DEFAULT_ORGANISATION_SLUG}/events/new", data=event_form(**{"call-ends_at": "9999-12-31T23:59"})
                       ).get_data(as_text=True)
    assert "请输入 2000 至 2100 之间的年份。" in page
