"""The outbox list as Chromium lays it out: the whole table fits the page beside the chart on a
desktop and fits a phone's screen, recipient and status included, in both languages."""

from __future__ import annotations

import pytest

from roadshow.mail.models import OutboxMessage, OutboxStatus
from tests.in_browser import page_through

pytestmark = pytest.mark.e2e

#: subjects as the schedule's invitations have them: a time naming a long zone
SUBJECTS = {
    "zh_Hans_CN": "邀请：路演：面向智慧城市的液压元件数字孪生，2026年11月22日周日 08:50 (America/Argentina/Buenos_Aires, GMT-03:00)",
    "en": "Invitation: Xuzhou High-level Talent “Cloud Roadshow”: Day 1 · Morning, Sat, Nov 21, 2026, 08:00 (America/Los_Angeles, GMT-08:00)",
}


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
@pytest.mark.parametrize("width", [1280, 375])
def test_outbox_table_fits_without_sideways_scrolling(browser, login_as, db, locale, width):
    client, _ = login_as("applicant", is_platform_admin=True, locale=locale, timezone="America/Argentina/Buenos_Aires")
    for n, (message_locale, subject) in enumerate(SUBJECTS.items()):
        address = f"recruiter-xuzhou-economic-development-zone-{n}@example.org"
        db.session.add(OutboxMessage(
            to_address=address, locale=message_locale, subject=subject, body_text="Body",
            raw=f"To: {address}\r\n\r\nBody\r\n".encode(), template="scheduling/mail/invite",
            status=OutboxStatus.KEPT))
    db.session.commit()
    page = page_through(browser, client, width)
    try:
        page.goto("/outbox/")
        table = page.locator(".table-responsive")
        widths = table.evaluate("e => [e.scrollWidth, e.clientWidth]")
        rows = table.locator("tbody tr")
        first_row = rows.first.inner_text()
        row_count = rows.count()
    finally:
        page.context.close()
    assert row_count == 2
    assert widths[0] <= widths[1], widths
    assert "recruiter-xuzhou-economic-development-zone-" in first_row
    assert ("已保存（未配置邮件服务器）" if locale.startswith("zh") else "Kept (no mail server)") in first_row
