"""The generic ``data-confirm`` question in Chromium, on the one such form with required fields
the browser does not check itself (declining an intent, ``novalidate``): a form that cannot go
through is sent unconfirmed and comes back with its errors; a filled-in one is confirmed first.

The pages come from the Flask test client through ``tests.in_browser``: no server process."""

from __future__ import annotations

import pytest

from roadshow.extensions import db
from roadshow.signing.models import IntentState
from tests.conftest import Auth
from tests.in_browser import page_through

pytestmark = pytest.mark.e2e


def test_declining_asks_to_confirm_only_once_the_form_is_filled_in(app, browser, sent_intent):
    intent = sent_intent()
    signer = intent.signers[0].user
    signer.locale = "zh_Hans_CN"
    db.session.commit()
    client = app.test_client()
    Auth(client).login(signer)
    page = page_through(browser, client)
    dialogs: list[str] = []

    def answer(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()  # the signer changes their mind

    page.on("dialog", answer)
    try:
        page.goto(f"/e/xz/signing/intents/{intent.id}/sign")
        decline = page.get_by_role("button", name="拒绝签署", exact=True)
        with page.expect_navigation():
            decline.click()  # nothing typed: no question, the server names what is missing
        assert dialogs == []
        assert page.url.endswith(f"/e/xz/signing/intents/{intent.id}/decline")
        assert page.locator("#decline-reason.is-invalid").count() == 1

        page.fill("#decline-reason", "我们选择了另一个城市。")
        page.fill("#decline-password", "not-checked-in-the-browser")
        decline.click()
        assert dialogs == ["确定拒绝签署？签署将对所有人结束。"]
        assert page.url.endswith(f"/e/xz/signing/intents/{intent.id}/decline")  # nothing was sent again
        assert page.locator("#decline-reason").input_value() == "我们选择了另一个城市。"
    finally:
        page.context.close()
    db.session.refresh(intent)
    assert intent.state == IntentState.OUT_FOR_SIGNATURE
