"""Numbers out of range in paths, query strings and forms answer 404 or the default, never 500
(issue 12, item 17)."""

from __future__ import annotations

import pytest

HUGE = "99999999999999999999"
INT64_PLUS_ONE = "9223372036854775808"


def _int_routes(app):
    from werkzeug.routing import IntegerConverter

    for rule in app.url_map.iter_rules():
        converters = rule._converters  # name -> converter of the compiled rule
        if converters and "GET" in (rule.methods or ()) and all(
                isinstance(c, IntegerConverter) for c in converters.values()):
            yield rule


def _huge_url(rule, number: str) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", number)
    return path


@pytest.mark.parametrize("number", [HUGE, INT64_PLUS_ONE, "2147483648"])
def test_out_of_range_ids_in_paths_are_404_for_anonymous_and_organizers(app, login_as, number):
    routes = list(_int_routes(app))
    assert any(r.rule == "/events/<int:event_id>" for r in routes)
    organizer, _user = login_as("organizer")
    anonymous = app.test_client()
    for rule in routes:
        url = _huge_url(rule, number)
        for who, client in (("anonymous", anonymous), ("organizer", organizer)):
            status = client.get(url).status_code
            assert status == 404, f"{who} GET {url} answered {status}"


def test_the_largest_id_the_database_stores_is_still_an_ordinary_404(client):
    assert client.get("/events/2147483647").status_code == 404


PEOPLE = "/o/test-office/people"  # tests/many_events_fixtures.py's default office


@pytest.mark.parametrize("number", [INT64_PLUS_ONE, HUGE, "-" + HUGE])
@pytest.mark.parametrize("path", [f"{PEOPLE}?page=", "/outbox/?page=", f"{PEOPLE}?role=judge&page="])
def test_out_of_range_page_numbers_fall_back_to_the_first_page(login_as, path, number):
    if path.startswith("/outbox"):  # the platform administrator's page
        client, _user = login_as("applicant", is_platform_admin=True)
    else:
        client, _user = login_as("organizer")
    response = client.get(path + number)
    assert response.status_code == 200, response.status_code


def test_query_int_refuses_what_the_database_cannot_hold():
    from roadshow.core.params import MAX_INT, query_int

    assert query_int("42") == 42
    assert query_int(str(MAX_INT)) == MAX_INT
    for bad in (str(MAX_INT + 1), INT64_PLUS_ONE, "-" + HUGE, "x"):
        with pytest.raises(ValueError, match="out of range|invalid literal"):
            query_int(bad)


def test_form_and_values_numbers_are_bounded_too(app):
    with app.test_request_context("/?a=" + HUGE, method="POST", data={"b": HUGE, "c": "7"}):
        from flask import request

        assert request.args.get("a", type=int) is None
        assert request.form.get("b", 0, type=int) == 0
        assert request.values.get("a", type=int) is None
        assert request.values.get("c", type=int) == 7


@pytest.mark.parametrize("query", [f"page={HUGE}", f"page={HUGE}&track={HUGE}&district={HUGE}",
                                   f"page=-{HUGE}&status=x&track=-{HUGE}"])
def test_a_number_a_view_parses_itself_is_a_bad_request_not_a_500(login_as, make_event, query):
    client, _user = login_as("organizer")
    applications = f"/e/{make_event().slug}/organizer/applications"
    response = client.get(f"{applications}?{query}")
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 400:
        assert "Bad request" in response.get_data(as_text=True)
    chinese = client.get(f"{applications}?{query}", headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == response.status_code


@pytest.mark.parametrize("session_id", [10**20, -(10**20), "99999999999999999999"])
def test_a_live_connection_naming_an_impossible_session_is_refused(app, make_user, make_district,
                                                                    login_as, session_id):
    from roadshow.extensions import socketio
    from tests.live.conftest import NS, Roadshow

    roadshow = Roadshow(make_user, make_district)
    client, _user = login_as(roadshow.judge)
    sock = socketio.test_client(app, namespace=NS, flask_test_client=client,
                                auth={"session_id": session_id})
    assert not sock.is_connected(NS)
    fine = socketio.test_client(app, namespace=NS, flask_test_client=client,
                                auth={"session_id": roadshow.session.id})
    assert fine.is_connected(NS)
