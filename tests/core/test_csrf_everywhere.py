"""Every route that takes a POST refuses one without the form's CSRF token, signed in or not:
nothing is exempt, so a page on another site cannot answer a follow-up request, start a job,
sign someone out everywhere, change a password or save a selection for the person visiting it.
The refusal comes before the view (and its object checks) runs, so sample values suffice.

The one exception is RFC 8058's one-click unsubscribe, which a mail client posts with no form:
its signed token names one person and one kind of mail, and all it can do is stop that kind of
mail (tests/notifications/test_unsubscribe.py)."""

from __future__ import annotations

import re

import pytest
from flask import Flask, url_for

from roadshow.accounts.roles import Role


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def sample(converter) -> object:
    if hasattr(converter, "items"):  # any(...)
        return sorted(converter.items)[0]
    return 1 if "int" in type(converter).__name__.lower() else "x"


#: POST endpoints without a form token, each for the reason the module's docstring gives
EXEMPT = {"notifications.unsubscribe_now"}


def post_routes(app: Flask) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.endpoint == "static" or rule.endpoint in EXEMPT:
            continue
        values = {name: sample(rule._converters[name]) for name in rule.arguments}  # noqa: SLF001
        with app.test_request_context():
            paths.append(url_for(rule.endpoint, **values))
    return sorted(set(paths))


def signed_in(app: Flask, user) -> object:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": user.email, "password": "Correct-horse-42",
                                           "csrf_token": token})
    assert response.status_code == 302
    return client


def test_there_are_post_routes_to_check(app):
    paths = post_routes(app)
    assert "/logout" in paths
    assert any(p.endswith("/answer") for p in paths)
    assert len(paths) > 40


@pytest.mark.parametrize("who", [None, Role.ORGANIZER, Role.APPLICANT, Role.RECRUITER])
def test_every_post_without_a_token_is_refused(app, make_user, who):
    client = app.test_client() if who is None else signed_in(app, make_user(who))
    accepted = []
    for path in post_routes(app):
        response = client.post(path, data={"note": "from another site"})
        if response.status_code != 400 or "Your form expired" not in response.get_data(as_text=True):
            accepted.append((path, response.status_code))
    assert accepted == []
    if who is not None:
        assert client.get("/dashboard").status_code == 200  # still signed in: logout was refused
