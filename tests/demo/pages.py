"""Helpers for the demo's tests: find a demo event, build an event page's address from its
endpoint, and walk the pages a user reaches by following links."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import urldefrag, urlsplit

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from roadshow.events.models import Event

THIS_YEAR = "xuzhou-cloud-roadshow"
HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"', re.IGNORECASE)
#: links a walk never follows: signing out, switching language, files
NOT_FOLLOWED = re.compile(r"/logout|/language|/lang/|\.(csv|xlsx|pdf|ics|png|zip)(\?|$)|/download")


def event_of(session: Any, slug: str = THIS_YEAR) -> Event:
    event = session.scalar(select(Event).where(Event.slug == slug))
    assert event is not None, f"the demo has no event {slug}"
    return event


def url(app: Flask, endpoint: str, in_event: Event | None = None, **values: Any) -> str:
    """The address of ``endpoint`` (in ``in_event`` when the route names one)."""
    with app.test_request_context():
        if in_event is not None and app.url_map.is_endpoint_expecting(endpoint, "event_slug"):
            values["event_slug"] = in_event.slug
        return url_for(endpoint, **values)


def links(html: str) -> list[str]:
    """The local paths a page links to, in order, without fragments."""
    out = []
    for href in HREF.findall(html):
        path = urldefrag(unescape(href))[0]
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not path.startswith("/"):
            continue
        out.append(path)
    return out


def walk(client: FlaskClient, start: str = "/dashboard",
         follow: Callable[[str], bool] = lambda _path: True, limit: int = 40) -> dict[str, str]:
    """Every page reached from ``start`` by following links (breadth first, GET only, at most
    ``limit`` pages, only links ``follow`` accepts); path -> the page's text. A link that does
    not answer 200 fails the walk: a link shown is a link that works."""
    seen: dict[str, str] = {}
    queue: deque[tuple[str, str]] = deque([(start, "")])
    queued = {start}
    while queue and len(seen) < limit:
        path, via = queue.popleft()
        response = client.get(path)
        if response.status_code in (301, 302, 303, 307, 308):
            target = urlsplit(response.headers["Location"])
            path = target.path + (f"?{target.query}" if target.query else "")
            response = client.get(path)
        assert response.status_code == 200, f"{path} (linked from {via or 'the start'}) answered {response.status_code}"
        if not response.mimetype.startswith("text/html"):
            continue
        html = response.get_data(as_text=True)
        seen[path] = html
        for link in links(html):
            if link not in queued and not NOT_FOLLOWED.search(link) and follow(link):
                queued.add(link)
                queue.append((link, path))
    return seen
