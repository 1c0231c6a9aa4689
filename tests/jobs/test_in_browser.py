"""The progress page in Chromium: its script follows the queue without a reload and shows the
outcome when the job ends."""

from __future__ import annotations

import pytest

from tests.in_browser import page_through

pytestmark = pytest.mark.e2e

BAR = "document.querySelector('[data-job-bar]')"


def wait_until(page, expression: str, timeout_ms: int = 15_000) -> None:
    """Let the page's script run (and its requests be answered) until ``expression`` holds; the
    CSP forbids the eval that Playwright's wait_for_function needs."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(f"() => {expression}"):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"still not true after {timeout_ms} ms: {expression}")


def test_the_bar_moves_as_the_queue_works_and_the_page_shows_the_outcome(browser, start_job, run,
                                                                         login_as):
    client, organizer = login_as("organizer")
    job = start_job(organizer, steps=4, interrupt_at=2)
    page = page_through(browser, client, 375)
    try:
        page.goto(f"/jobs/{job.id}")
        assert page.evaluate(f"{BAR}.value") == 0
        run(limit=1)  # two steps, then the worker stops
        wait_until(page, f"{BAR}.value === 2 && {BAR}.max === 4")
        assert "Interrupted by a server restart at 2 of 4" in page.inner_text("[data-job-status]")
        run()
        page.wait_for_selector("text=Finished: 4 of 4 done.", timeout=15_000)
        assert page.evaluate(f"{BAR}.value") == 4
        assert page.query_selector("[data-job-progress][data-active='false']") is not None
    finally:
        page.context.close()
