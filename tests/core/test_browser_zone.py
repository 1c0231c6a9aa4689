"""A visitor who is not signed in sees times in their browser's zone, named, from the first
visit on; the page tells the server the zone and is shown again in it.

The pages come from the Flask test client (no server process); the browser's cookies are sent
with every request, as a server would receive them."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from roadshow.extensions import db
from tests.events.factories import build_event

pytestmark = pytest.mark.e2e
ORIGIN = "http://roadshow.test"


def _page_in_zone(browser: Any, client: Any, zone: str) -> Any:
    """A page in a browser set to ``zone``; ``client`` must not keep cookies of its own (the
    browser's are passed on)."""
    context = browser.new_context(timezone_id=zone, base_url=ORIGIN)
    page = context.new_page()

    def answer(route: Any) -> None:
        url = urlsplit(route.request.url)
        cookie = route.request.all_headers().get("cookie", "")
        response = client.open(url.path + (f"?{url.query}" if url.query else ""),
                               method=route.request.method,
                               headers={"Cookie": cookie} if cookie else {})
        try:
            body = response.get_data()
        finally:
            response.close()
        route.fulfill(status=response.status_code, body=body,
                      headers={k: v for k, v in response.headers.items()
                               if k.lower() not in ("content-length", "set-cookie")})

    page.route("**/*", answer)
    return page


def test_a_first_visit_shows_the_call_deadline_in_the_browsers_zone_and_names_it(browser, app):
    build_event(db.session, title_en="Xuzhou Cloud Roadshow")
    db.session.commit()
    page = _page_in_zone(browser, app.test_client(use_cookies=False), "America/Denver")
    try:
        page.goto("/")
        page.wait_for_load_state("load")
        page.wait_for_selector("html[data-shown-zone='America/Denver']", state="attached")
        text = page.inner_text("body")
        assert "Times are shown in America/Denver" in text
        assert re.search(r"Applications close on .*America/Denver", text)
        # and no loop: the page stays
        page.wait_for_timeout(300)
        assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"
    finally:
        page.context.close()


def test_a_visitor_in_shanghai_is_not_shown_the_page_twice(browser, app):
    build_event(db.session)
    db.session.commit()
    page = _page_in_zone(browser, app.test_client(use_cookies=False), "Asia/Shanghai")
    try:
        page.goto("/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "navigate"
        assert "Times are shown in Asia/Shanghai" in page.inner_text("body")
    finally:
        page.context.close()
