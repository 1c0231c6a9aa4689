"""Times typed for a follow-up talk, by the applicant proposing them or the district arranging
it: a time the clocks skip, a year far off or long past, gets a clear error by the field in the
reader's language with everything typed kept and nothing saved (a skipped time was moved an hour
silently; year 9999 or 0001 overflowed into a bare 400 page that lost the form)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from roadshow.events.phases import NonexistentLocalTimeError, local_to_utc
from roadshow.extensions import db
from roadshow.live.models import DockingRequest
from tests.live.test_pages import docking_request
from tests.many_events_fixtures import event_url

ZONE = "America/New_York"


def skipped_time(zone: str) -> str:
    """The next wall-clock time (within a year) that the clocks skip in ``zone``."""
    day = datetime.now(UTC).date() + timedelta(days=1)
    for _ in range(366):
        local = datetime.combine(day, time(2, 30))
        try:
            local_to_utc(local, zone)
        except NonexistentLocalTimeError:
            return local.strftime("%Y-%m-%dT%H:%M")
        day += timedelta(days=1)
    raise AssertionError(f"{zone} skips no time within a year")


def in_years(years: int) -> str:
    return (datetime.now(UTC) + timedelta(days=365 * years)).astimezone(ZoneInfo(ZONE)).strftime(
        "%Y-%m-%dT%H:%M")


PROBLEMS = [
    (skipped_time(ZONE), "That time does not exist in America/New_York: the clocks skip it.",
     "该时间在 America/New_York 不存在"),
    ("9999-12-31T23:00", "Choose a time within the next year.", "请选择一年以内的时间"),
    (in_years(2), "Choose a time within the next year.", "请选择一年以内的时间"),
]


@pytest.fixture
def applicant(roadshow, login_as):
    person = roadshow.presenters[0]
    person.timezone = ZONE
    db.session.commit()
    client, _ = login_as(person)
    return client


@pytest.mark.parametrize(("typed", "english", "chinese"), PROBLEMS)
def test_a_proposed_time_that_cannot_be_is_refused_by_its_field(roadshow, applicant, typed,
                                                                english, chinese):
    request = docking_request(roadshow)
    fine = (datetime.now(UTC) + timedelta(days=5)).astimezone(ZoneInfo(ZONE)).strftime(
        "%Y-%m-%dT%H:%M")
    form = {"answer": "proposed", "time_1": fine, "time_2": typed, "note": "Evenings suit me"}
    response = applicant.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert english in page
    assert f'value="{typed}"' in page
    assert f'value="{fine}"' in page
    assert "Evenings suit me" in page
    db.session.expire_all()
    assert db.session.get(DockingRequest, request.id).answer is None


@pytest.mark.parametrize(("typed", "english", "chinese"), PROBLEMS)
def test_the_refusal_reads_in_chinese_for_a_chinese_reader(roadshow, login_as, typed, english,
                                                           chinese):
    person = roadshow.presenters[0]
    person.timezone, person.locale = ZONE, "zh_Hans_CN"
    db.session.commit()
    client, _ = login_as(person)
    request = docking_request(roadshow)
    page = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "proposed", "time_1": typed}).get_data(as_text=True)
    assert chinese in page
    assert english not in page


def test_a_proposed_time_in_year_one_reads_as_past(roadshow, applicant):
    request = docking_request(roadshow)
    response = applicant.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "proposed", "time_1": "0001-01-01T01:00"})
    assert response.status_code == 200
    assert "Choose times in the future." in response.get_data(as_text=True)


def test_a_leftover_time_does_not_block_declining(roadshow, applicant):
    request = docking_request(roadshow)
    response = applicant.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "declined", "time_1": "9999-12-31T23:00"})
    assert response.status_code == 302


@pytest.mark.parametrize(("typed", "english", "chinese"), PROBLEMS)
def test_a_meeting_time_that_cannot_be_is_refused_and_the_input_kept(roadshow, login_as, typed,
                                                                    english, chinese):
    roadshow.recruiter.timezone = ZONE
    db.session.commit()
    request = docking_request(roadshow)
    client, _ = login_as(roadshow.recruiter)
    form = {"starts_at": typed, "minutes": "30", "url": "https://meet.example.org/x"}
    response = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/meeting"), data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert english in page
    assert "https://meet.example.org/x" in page
    assert db.session.scalars(select(DockingRequest)).one().meeting_starts_at is None
