"""A tour of every main page, for each role, in both languages, at desktop and phone width.

Each page is screenshotted into ``test-artifacts/screenshots/`` and must pass the checks of
``checks.py``: no serious or critical accessibility violation, no untranslated string on a
Chinese page, no time without its zone, no console error. Signed-in people follow the links
of their own navigation and dashboard, so a page a domain adds is toured as soon as it is linked.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import DESKTOP, PHONE, Actor, LiveServer, follow
from tests.e2e.seed import TOUR, Person

pytestmark = pytest.mark.e2e

LANGUAGES = {"en": ("en", "America/Los_Angeles"), "zh": ("zh_Hans_CN", "Asia/Shanghai")}
ROLES = ("organizer", "judge", "recruiter", "applicant")
#: links a tour must not follow: they act, download or leave
SKIP_LINK = re.compile(r"(logout|/static/|\.(pdf|ics|xlsx|csv|zip|png|svg|pem)$|/download|/export)")
MAX_LINKS_PER_ROLE = 25


def visitor(lang: str) -> Person:
    locale, zone = LANGUAGES[lang]
    return Person("visitor", "", "", "anonymous", locale, zone)


def tour_links(actor: Actor) -> list[str]:
    """Same-site links of the navigation and the dashboard's cards, in page order."""
    hrefs = actor.page.eval_on_selector_all(
        "#main-nav a[href], main a[href]",
        "els => els.filter(e => !e.hasAttribute('download')).map(e => e.href)",
    )
    origin = actor.server.url
    seen: set[str] = set()
    links = []
    for href in hrefs:
        if not href.startswith(origin):
            continue
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if SKIP_LINK.search(parts.path) or parts.path in seen or parts.path in ("/", "/dashboard"):
            continue
        seen.add(parts.path)
        links.append(path)
    return links[:MAX_LINKS_PER_ROLE]


def click_first_visible(actor: Actor, selector: str) -> None:
    links = actor.page.locator(selector)
    for i in range(links.count()):
        if links.nth(i).is_visible():
            follow(actor.page, links.nth(i))
            return
    actor.open_menu()
    follow(actor.page, actor.page.locator(f"#main-nav {selector}").first)


@pytest.fixture
def call_open(live_server: LiveServer) -> None:
    """The browser tests share one server, and the funnel's story closes the call by hand.

    Registration is offered only while a call is open, so this test reopens it first: whatever
    order the tests run in (pytest-randomly), the visitor meets an open call.
    """
    engine = sa.create_engine(live_server.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE events SET call_closed_by_hand = :no"), {"no": False})
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_public_pages_pass_every_check_on_desktop_and_phone(actors, lang, call_open):
    person = actors("visitor", visitor(lang), viewport=DESKTOP)
    page = person.page
    for screen, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        person.goto("/")
        person.check(f"home-{screen}")
        # the first Tab reaches "Skip to content", which moves the focus to the page's content
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
        click_first_visible(person, "a[href$='/login']")
        person.check(f"login-{screen}")
        # the browser told the server its zone (app.js's tz cookie): times are shown in it
        assert LANGUAGES[lang][1] in page.locator("footer").inner_text()
        click_first_visible(person, "a[href$='/register']")
        person.check(f"register-{screen}")
        person.goto("/no-such-page", expect_status=404)
        person.check(f"error-404-{screen}")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_passes_every_check(actors, role, lang):
    person = actors(role, TOUR[role, lang], viewport=DESKTOP)
    page = person.page
    person.sign_in()
    person.goto("/dashboard")
    person.check("dashboard")
    visited = []
    for path in tour_links(person):
        try:
            response = person.goto(path)
        except Exception as error:  # a link that downloads a file is not a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        # axe's findings do not depend on the language (same markup, same colours): the
        # Chinese tour runs it on every page, the English one relies on that
        person.check(urlsplit(path).path.strip("/").replace("/", "-") or "page", axe=lang == "zh")
        visited.append(path)
    assert any(p.startswith("/profile") for p in visited), f"no profile link for {role}: {visited}"

    # on a phone: the dashboard, and the folded menu leads to the profile
    page.set_viewport_size(PHONE)
    person.goto("/dashboard")
    person.check("dashboard-phone")
    person.open_menu()
    name = person.person.name_native or person.person.name
    follow(page, page.locator("#main-nav").get_by_role("link", name=re.compile(re.escape(name))))
    assert urlsplit(page.url).path == "/profile"
    person.check("profile-phone")
