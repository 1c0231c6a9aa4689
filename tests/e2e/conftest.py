"""Browser tests: the app as a real server process, Debian's Chromium driven by Playwright.

``live_server`` starts ``roadshow serve`` on a free loopback port with a fresh SQLite database
(schema from the models, starting data from ``seed.py``) and real SMTP into the session's
aiosmtpd capture. ``actors`` opens one browser context per person, each in their own language
and zone. Every page an actor ``check``s is screenshotted and must pass the checks in
``checks.py``; a failing test leaves a screenshot of every open page in ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SMTPCapture, free_port
from tests.e2e import checks
from tests.e2e.seed import PEOPLE, Person, seed

REPO_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_DIR / "test-artifacts"
FAILURES_DIR = ARTIFACTS / "e2e"
SCREENSHOTS_DIR = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SOFT_CHECKS = {c.strip() for c in os.environ.get("ROADSHOW_E2E_SOFT", "").split(",") if c.strip()}
#: how long a step may wait for the page to show what it should (not a speed target)
STEP_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    """Keep each phase's report on the item, so fixtures know at teardown that a test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the server ---------------------------------------------------------------------------

@dataclass
class LiveServer:
    url: str
    database_url: str
    instance_path: Path
    log_path: Path
    smtp: SMTPCapture
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def mail_to(self, address: str, subject_contains: str | None = None,
                timeout: float = 15.0) -> Any:
        """The newest message to ``address`` (optionally with a subject containing a text)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.smtp.to(address)
                     if subject_contains is None or subject_contains in str(m["Subject"])]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                subjects = [str(m["Subject"]) for m in self.smtp.to(address)]
                raise AssertionError(
                    f"no email to {address} with {subject_contains!r} arrived; got {subjects}"
                )
            time.sleep(0.1)


    def new_mail_to(self, address: str, seen: int, timeout: float = 15.0) -> Any:
        """The first message to ``address`` after the ``seen`` ones already there."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.smtp.to(address)
            if len(messages) > seen:
                return messages[seen]
            if time.monotonic() > deadline:
                raise AssertionError(f"no new email to {address} arrived")
            time.sleep(0.1)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within a minute:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("e2e")
    instance = root / "instance"
    database_url = f"sqlite:///{root / 'roadshow.db'}"
    seed(database_url, str(instance))
    # its own SMTP capture: a late delivery never lands in another test's mailbox
    smtp_server = SMTPCapture()
    smtp_server.controller.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    FAILURES_DIR.mkdir(parents=True, exist_ok=True)
    log_path = root / "server.log"  # copied to test-artifacts/e2e/ at the end of the run
    env = {
        **os.environ,
        "ROADSHOW_INSTANCE_PATH": str(instance),
        "ROADSHOW_DATABASE_URL": database_url,
        "ROADSHOW_SECRET_KEY": "e2e-secret-key-not-for-production",
        "ROADSHOW_BASE_URL": url,
        "ROADSHOW_SMTP_HOST": "127.0.0.1",
        "ROADSHOW_SMTP_PORT": str(smtp_server.port),
        "ROADSHOW_MAIL_FROM": "Roadshow <roadshow@example.org>",
        "ROADSHOW_LOGIN_RATE_LIMIT": "1000 per minute",
        "PYTHONWARNINGS": "ignore",
    }
    for name in ("ROADSHOW_REDIS_URL", "ROADSHOW_ENV", "ROADSHOW_ASYNC_MODE"):
        env.pop(name, None)
    roadshow_cli = Path(sys.executable).with_name("roadshow")
    log = log_path.open("wb")
    try:
        process = subprocess.Popen(
            [str(roadshow_cli), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    except OSError:
        log.close()
        smtp_server.controller.stop()
        raise
    try:
        _wait_until_up(url, process, log_path)
        yield LiveServer(url, database_url, instance, log_path, smtp_server, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        smtp_server.controller.stop()
        shutil.copyfile(log_path, FAILURES_DIR / "server.log")


# --- the browser --------------------------------------------------------------------------

def follow(page: Any, locator: Any) -> None:
    """Click what leads to another page; wait until that new page has loaded (see Actor.follow)."""
    page.evaluate("() => { window.__e2eOldDocument = true; }")
    locator.click()
    page.wait_for_function("() => window.__e2eOldDocument !== true")
    page.wait_for_load_state("load")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80]


@dataclass
class Actor:
    """One person in their own browser context (language, zone, cookies, screen)."""

    name: str
    person: Person
    context: Any
    page: Any
    server: LiveServer
    shots_dir: Path
    numbering: Any = None  # the story's shared counter, so screenshots sort in story order
    console_errors: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def chinese(self) -> bool:
        return self.person.locale.startswith("zh")

    def goto(self, path: str, *, expect_status: int | None = None) -> Any:
        """Open a path; ``expect_status`` when the page is an error page on purpose."""
        url = self.server.url + path
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        if expect_status is None:
            assert response.status < 400, (
                f"{self.name} opened {path} and got {response.status}:\n"
                f"{self.page.locator('body').inner_text()[:500]}\n{self.server.log_tail(15)}")
        else:
            assert response.status == expect_status, f"{path} answered {response.status}"
            # the browser logs the document's own error status; that one is expected
            self.console_errors[:] = [
                e for e in self.console_errors
                if not (f"status of {expect_status}" in e and e.endswith(f" at {url}"))
            ]
        return response

    def sign_in(self) -> None:
        """Through the navigation, as a person would: Sign in, the form, the dashboard."""
        page = self.page
        self.goto("/")
        self.open_menu()
        page.locator("#main-nav").get_by_role("link", name=re.compile("^(Sign in|登录)$")).click()
        page.get_by_label(re.compile("^(Email|Email address|电子邮箱|邮箱)")).fill(self.person.email)
        page.get_by_label(re.compile("^(Password|密码)")).fill(self.person.password)
        follow(page, page.locator("main form button[type=submit]"))
        assert "/login" not in page.url, f"{self.name} could not sign in: {page.url}"

    def snapshot(self, name: str) -> Path:
        """A screen-sized picture for the README (test-artifacts/screenshots/readme/)."""
        path = SCREENSHOTS_DIR / "readme" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.evaluate("() => window.scrollTo(0, 0)")
        self.page.screenshot(path=str(path), animations="disabled", caret="hide")
        return path

    def follow(self, locator: Any) -> None:
        """Click what leads to another page and wait until that page has loaded.

        A marker on the old document tells the new one apart, also when the form posts back
        to the same address (a redirect to the page it came from).
        """
        follow(self.page, locator)

    def open_menu(self) -> None:
        """On a phone the navigation is folded behind its button."""
        toggler = self.page.locator("button.navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            self.page.locator("#main-nav.show").wait_for()

    def check(self, label: str, *, axe: bool = True) -> None:
        """The page now shown passes every check; it is screenshotted as a step of the story."""
        page = self.page
        page.wait_for_load_state("load")
        path = self.shots_dir / f"{next(self.numbering):02d}-{self.name}-{_slug(label)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        problems = {
            "console errors": list(self.console_errors),
            "naive times": checks.naive_times(page),
            "untranslated": checks.untranslated_strings(page) if self.chinese else [],
        }
        violations = checks.axe_violations(page) if axe else []
        self.console_errors.clear()
        self.checked.append(page.url)
        # ROADSHOW_E2E_SOFT=untranslated,accessibility,... lists findings instead of failing
        # (for walking on while other pages are being finished; never set in CI)
        soft = {k: v for k, v in problems.items() if k.split()[0] in SOFT_CHECKS and v}
        if violations and "accessibility" in SOFT_CHECKS:
            soft["accessibility"] = checks.describe_violations(violations).splitlines()
            violations = []
        if soft:
            problems = {k: v for k, v in problems.items() if k not in soft}
            with (FAILURES_DIR / "soft-findings.txt").open("a", encoding="utf-8") as out:
                out.write(f"{self.name} on {label} ({page.url}):\n{checks.report(**soft)}\n")
        message = []
        if any(problems.values()):
            message.append(checks.report(**problems))
        if violations:
            message.append("accessibility:\n" + checks.describe_violations(violations))
        assert not message, f"{self.name} on {label} ({page.url}):\n" + "\n".join(message)


class Actors:
    """Opens contexts on demand; screenshots every open page when the test fails."""

    def __init__(self, browser: Any, server: LiveServer, test_name: str) -> None:
        self.browser = browser
        self.server = server
        self.test_name = test_name
        self.shots_dir = SCREENSHOTS_DIR / _slug(test_name)
        shutil.rmtree(self.shots_dir, ignore_errors=True)
        self.open: dict[str, Actor] = {}
        self.numbering = itertools.count(1)

    def __call__(self, name: str, person: Person | None = None, *,
                 viewport: dict[str, int] | None = None) -> Actor:
        if name in self.open:
            return self.open[name]
        person = person or PEOPLE[name]
        context = self.browser.new_context(
            locale=person.browser_locale, timezone_id=person.timezone,
            viewport=viewport or DESKTOP, accept_downloads=True,
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        actor = Actor(name, person, context, page, self.server, self.shots_dir, self.numbering)
        page.on("console", lambda msg: msg.type == "error" and actor.console_errors.append(
            f"{msg.text} at {msg.location.get('url', '')}"))
        page.on("pageerror", lambda error: actor.console_errors.append(f"uncaught: {error}"))
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm: the person agrees
        self.open[name] = actor
        return actor

    def capture_failure(self) -> list[Path]:
        FAILURES_DIR.mkdir(parents=True, exist_ok=True)
        saved = []
        for name, actor in self.open.items():
            for i, page in enumerate(actor.context.pages):
                path = FAILURES_DIR / f"{_slug(self.test_name)}-{name}{'-' + str(i) if i else ''}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                    saved.append(path)
                except Exception:  # noqa: BLE001, S112 - a crashed page leaves no screenshot
                    continue
        return saved

    def close(self) -> None:
        for actor in self.open.values():
            actor.context.close()
        self.open.clear()


@pytest.fixture
def actors(request: pytest.FixtureRequest, browser: Any,
           live_server: LiveServer) -> Iterator[Callable[..., Actor]]:
    crew = Actors(browser, live_server, request.node.name)
    yield crew
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        saved = crew.capture_failure()
        print(f"\nscreenshots of the failure: {', '.join(str(p) for p in saved)}")
        print(f"server log (tail):\n{live_server.log_tail()}")
    crew.close()
