"""roadshow.core.actions: a view's action is committed and announced, or rolled back and refused."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages

from roadshow.core.actions import act, attempt
from roadshow.extensions import db


class RefusedError(Exception):
    pass


def _rename(user, name, *, refuse=False):
    def action():
        user.name = name
        db.session.flush()
        if refuse:
            raise RefusedError(f"no {name}")
        return name
    return action


def test_done_commits_flashes_and_redirects(app, make_user):
    user = make_user(name="Before")
    with app.test_request_context("/"):
        response = act(_rename(user, "After"), refused=RefusedError, done=lambda name: f"renamed to {name}",
                       to="/people")
        assert response.status_code == 302
        assert response.location == "/people"
        assert get_flashed_messages(with_categories=True) == [("success", "renamed to After")]
    db.session.rollback()  # nothing left to undo: it was committed
    assert db.session.get(type(user), user.id).name == "After"


def test_refused_rolls_back_flashes_the_error_and_goes_back(app, make_user):
    user = make_user(name="Before")
    with app.test_request_context("/"):
        response = act(_rename(user, "After", refuse=True), refused=RefusedError, say=lambda e: f"said: {e}",
                       category="warning", done="never shown", to="/people", refused_to="/preview")
        assert response.location == "/preview"
        assert get_flashed_messages(with_categories=True) == [("warning", "said: no After")]
    assert db.session.get(type(user), user.id).name == "Before"


def test_refused_goes_to_the_same_place_unless_told(app, make_user):
    user = make_user(name="Before")
    with app.test_request_context("/"):
        response = act(_rename(user, "After", refuse=True), refused=RefusedError, done="no", to="/people")
        assert response.location == "/people"
        assert get_flashed_messages(with_categories=True) == [("danger", "no After")]


def test_done_text_category_and_url_from_the_result(app, make_user):
    user = make_user()
    with app.test_request_context("/"):
        response = act(_rename(user, "Zed"), done="Saved.", done_category="info",
                       to=lambda name: f"/people#{name}")
        assert response.location == "/people#Zed"
        assert get_flashed_messages(with_categories=True) == [("info", "Saved.")]
    with app.test_request_context("/"):  # flashed messages are read once a request
        act(lambda: None, to="/quiet")
        assert get_flashed_messages() == []


def test_attempt_reports_and_other_errors_pass_through(app, make_user):
    user = make_user(name="Before")
    with app.test_request_context("/"):
        done = attempt(_rename(user, "Again"), refused=RefusedError)
        assert done.ok
        assert done.value == "Again"
        refused = attempt(_rename(user, "Never", refuse=True), refused=RefusedError)
        assert not refused.ok
        assert refused.value is None
        assert get_flashed_messages(with_categories=True) == [("danger", "no Never")]
        with pytest.raises(RefusedError):  # not named as the refusal: a bug, not a message
            attempt(_rename(user, "Boom", refuse=True))
    db.session.rollback()
    assert db.session.get(type(user), user.id).name == "Again"


def test_a_url_of_the_result_needs_a_place_for_a_refusal(app):
    with app.test_request_context("/"), pytest.raises(TypeError):
        act(lambda: None, refused=RefusedError, to=lambda _value: "/x")
