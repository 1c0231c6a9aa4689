"""Review pages' scripts in Chromium: declaring a conflict asks the judge to confirm only once the
form is filled in; without a reason the page answers with the form's own error.

The pages come from the Flask test client through ``tests.in_browser``: no server process."""

from __future__ import annotations

import pytest

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.review import judging
from tests.in_browser import page_through
from tests.many_events_fixtures import event_url

pytestmark = pytest.mark.e2e


def test_declaring_a_conflict_asks_to_confirm_only_once_a_reason_is_given(browser, login_as, make_user,
                                                                           make_application, assign, rubric, event):
    judge = make_user(Role.JUDGE, locale="zh_Hans_CN")
    application = make_application()
    assign(application, judge)
    client, _ = login_as(judge)
    page = page_through(browser, client)
    dialogs: list[str] = []

    def answer(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()  # the judge changes their mind

    page.on("dialog", answer)
    try:
        page.goto(event_url(event, f"/review/queue/{application.id}"))
        page.get_by_text("我与该项目存在利益冲突").click()
        with page.expect_navigation():
            page.get_by_role("button", name="申报利益冲突").click()
        assert dialogs == []
        assert page.locator("details .invalid-feedback").inner_text() == "请简要说明利益冲突。"
        assert page.locator("textarea[name=reason]").is_visible()

        page.fill("textarea[name=reason]", "申报人是我以前的学生")
        page.get_by_role("button", name="申报利益冲突").click()
        assert dialogs == ["申报利益冲突？该项目将从您的待评列表移除，您的草稿将被删除。"]
        assert page.url.endswith(event_url(event, f"/review/queue/{application.id}/conflict"))  # nothing was sent again
        assert page.locator("textarea[name=reason]").input_value() == "申报人是我以前的学生"
    finally:
        page.context.close()
    assert judging.judge_may_open(db.session, judge, application)
