"""Friendly error pages in the reader's language."""

from __future__ import annotations

import pytest

from roadshow.access import public

ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def failing_app(app):
    @public
    def explode():
        raise RuntimeError("boom")

    @public
    def bad():
        from flask import abort

        abort(400)

    app.add_url_rule("/_test/explode", "test_explode", explode)
    app.add_url_rule("/_test/bad", "test_bad", bad)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize(("path", "code", "english", "chinese"), [
    ("/no/such/page", 404, "Page not found", "页面不存在"),
    ("/_test/bad", 400, "Bad request", "请求有误"),
    ("/_test/explode", 500, "Something went wrong", "出错了"),
])
def test_error_pages_in_both_languages(failing_app, path, code, english, chinese):
    client = failing_app.test_client()
    response = client.get(path)
    assert response.status_code == code
    assert english in response.get_data(as_text=True)
    assert "Go to the home page" in response.get_data(as_text=True)
    response = client.get(path, headers=ZH)
    assert response.status_code == code
    assert chinese in response.get_data(as_text=True)


def test_forbidden_page_in_both_languages(login_as):
    from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG

    login_as("organizer")  # the office exists
    people = f"/o/{DEFAULT_ORGANISATION_SLUG}/people"
    client, _ = login_as("applicant")
    response = client.get(people)
    assert response.status_code == 403
    assert "You do not have permission to open this page." in response.get_data(as_text=True)
    client, _ = login_as("judge", locale="zh_Hans_CN")
    response = client.get(people)
    assert response.status_code == 403
    assert "无权访问" in response.get_data(as_text=True)
