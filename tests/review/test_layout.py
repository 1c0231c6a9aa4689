"""Review pages as Chromium lays them out: on a phone (375 px) the judge's queue keeps each
status badge on one line, in both languages.

The pages come from the Flask test client through ``tests.in_browser``: no server process."""

from __future__ import annotations

import pytest

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.review import judging
from tests.in_browser import page_through
from tests.many_events_fixtures import event_url
from tests.review.conftest import scores_of

pytestmark = pytest.mark.e2e

#: for each status badge in the queue: its text and how many lines Chromium broke it into
_BADGE_LINES_JS = """() => [...document.querySelectorAll("tbody td .badge")].map(badge => {
    const range = document.createRange();
    range.selectNodeContents(badge);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return [badge.textContent.trim(), tops.size];
})"""

STATUSES = {"en": ["Submitted", "Draft", "To review"], "zh_Hans_CN": ["已提交", "草稿", "待评审"]}


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_queue_status_badges_stay_on_one_line_on_a_phone(browser, login_as, make_user, make_application,
                                                          rubric, assign, event, locale):
    judge = make_user(Role.JUDGE, locale=locale)
    long_titles = "Graphene membranes for brine desalination at industrial scale in coastal plants"
    submitted, draft, waiting = (make_application(title=long_titles) for _ in range(3))
    for application in (submitted, draft, waiting):
        assign(application, judge)
    judging.submit_review(db.session, judge, submitted, scores_of(rubric, 7))
    judging.save_review(db.session, judge, draft, {rubric[0].code: 5})
    db.session.commit()
    client, _ = login_as(judge)
    page = page_through(browser, client, width=375)
    try:
        page.goto(event_url(event, "/review/queue"))
        badges = page.evaluate(_BADGE_LINES_JS)
    finally:
        page.context.close()
    assert sorted(text for text, _lines in badges) == sorted(STATUSES[locale])
    assert badges == [[text, 1] for text, _lines in badges]
