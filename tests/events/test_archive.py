"""Archiving (issue 13, §4): only a finished event is archived; an archived event stays
readable and refuses every change, on every route of it, for every role."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from roadshow.accounts.roles import Role
from roadshow.events.models import Event
from roadshow.extensions import db as _db
from tests.many_events_fixtures import event_url

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _row_counts() -> dict[str, int]:
    return {table.name: _db.session.scalar(select(func.count()).select_from(table))
            for table in _db.metadata.sorted_tables}


def _sample(match: re.Match[str], event: Event) -> str:
    converter, options, name = match.groups()
    if name == "event_slug":
        return event.slug
    if converter == "any":
        return options.split(",")[0].strip().strip("'\"")
    return "1" if converter in ("int", None) else "x"


def _write_routes(app, event):
    """Every (method, path) of an event page that changes something, with sample ids."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "event_slug" not in rule.arguments or rule.endpoint == "events.unarchive":
            continue
        for method in sorted(set(rule.methods or ()) & set(WRITE_METHODS)):
            path = re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>", lambda m: _sample(m, event), rule.rule)
            routes.append((method, path))
    return routes


def test_a_finished_event_is_archived_and_unarchived_by_its_organizer(login_as, make_event):
    client, organizer = login_as("organizer")
    event = make_event(phase="finished")
    response = client.post(event_url(event, "/archive"))
    assert response.status_code == 302
    _db.session.refresh(event)
    assert event.archived_at is not None
    assert event.archived_by_id == organizer.id
    page = client.get(event_url(event, "/manage")).get_data(as_text=True)
    assert "This event is archived" in page
    assert "Unarchive" in page
    assert client.post(event_url(event, "/unarchive")).status_code == 302
    _db.session.refresh(event)
    assert event.archived_at is None


def test_an_event_still_under_way_is_not_archived(login_as, make_event):
    client, _ = login_as("organizer")
    event = make_event(phase="signing")
    page = client.post(event_url(event, "/archive"), follow_redirects=True).get_data(as_text=True)
    assert "Only a finished event can be archived" in page
    _db.session.refresh(event)
    assert event.archived_at is None


def test_a_symposium_without_signing_is_finished_after_its_programme_and_may_be_archived(login_as, make_event):
    client, _ = login_as("organizer")
    event = make_event(kind="symposium", phase="signing")  # its last stage, the programme, is over
    client.post(event_url(event, "/archive"))
    _db.session.refresh(event)
    assert event.archived_at is not None


def test_others_may_not_archive(login_as, make_event):
    event = make_event(phase="finished")
    client, _ = login_as("applicant")
    assert client.post(event_url(event, "/archive")).status_code == 403
    _db.session.refresh(event)
    assert event.archived_at is None


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.JUDGE, Role.RECRUITER, Role.APPLICANT])
def test_every_write_route_of_an_archived_event_answers_403_and_changes_no_row(
        app, login_as, make_event, make_district, role):
    district = make_district()
    client, _user = login_as(role.value, **({"district": district} if role == Role.RECRUITER else {}))
    event = make_event(phase="finished", archived=True, districts=[district])
    routes = _write_routes(app, event)
    assert ("POST", event_url(event, "/edit")) in routes
    assert ("POST", event_url(event, "/archive")) in routes
    before = _row_counts()
    answers = {(method, path): client.open(path, method=method, data={"override": "call"}).status_code
               for method, path in routes}
    assert {key: code for key, code in answers.items() if code != 403} == {}
    _db.session.expire_all()
    assert _row_counts() == before


def test_an_archived_event_stays_readable_with_its_banner_in_both_languages(login_as, make_event):
    event = make_event(phase="finished", archived=True, title_en="Roadshow 2025")
    client, _ = login_as("organizer")
    page = client.get(event_url(event))
    assert page.status_code == 200
    assert "This event is archived: everything stays readable" in page.get_data(as_text=True)
    assert client.get(event_url(event, "/manage")).status_code == 200
    chinese, _ = login_as("applicant", locale="zh_Hans_CN")
    text = chinese.get(event_url(event)).get_data(as_text=True)
    assert "活动已归档" in text
    assert "已归档" in text
    assert _db.session.get(Event, event.id).archived_at is not None
