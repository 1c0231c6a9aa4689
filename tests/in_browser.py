"""Pages of the Flask test client in the session's Chromium, without a server process.

Playwright routes every request of the page to the test client (so the client's login holds),
and the page is laid out with the CSS and scripts the app itself serves."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

ORIGIN = "http://roadshow.test"


def page_through(browser: Any, client: Any, width: int = 1280, height: int = 900) -> Any:
    """A new page ``width`` pixels wide whose requests the test ``client`` answers; close its
    ``page.context`` when done."""
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=ORIGIN)
    page = context.new_page()

    def answer(route: Any) -> None:
        url = urlsplit(route.request.url)
        response = client.open(url.path + (f"?{url.query}" if url.query else ""),
                               method=route.request.method)
        try:
            body = response.get_data()
        finally:
            response.close()  # static files are open file handles
        route.fulfill(status=response.status_code, body=body,
                      headers={k: v for k, v in response.headers.items()
                               if k.lower() not in ("content-length", "set-cookie")})

    page.route("**/*", answer)
    return page


#: for each element matching a selector: its text, how many lines it takes and how far its right
#: edge is from the right edge of the window (negative when it sticks out)
LINES_JS = """selector => [...document.querySelectorAll(selector)].map(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                     .map(r => Math.round(r.top)));
    return [el.textContent.trim(), tops.size,
            window.innerWidth - el.getBoundingClientRect().right];
})"""


def lines_of(page: Any, selector: str) -> list[list[Any]]:
    """``[text, line count, room to the right edge]`` for each element matching ``selector``."""
    return page.evaluate(LINES_JS, selector)
