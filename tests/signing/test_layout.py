"""The intent's two-language text as Chromium lays it out: each clause's rule sits below the
clause before it, on a desktop and on a phone, on the intent's page and in the draft form.

The pages come from the Flask test client through ``tests.in_browser``: no server process."""

from __future__ import annotations

import pytest

from tests.in_browser import page_through

pytestmark = pytest.mark.e2e

#: for each row but the first: how far its top (where its border is drawn) reaches up into
#: the text of the row before it; 0 when the rows do not overlap
_OVERLAPS_JS = """selector => {
    const rows = [...document.querySelectorAll(selector)];
    const out = [];
    for (let i = 1; i < rows.length; i++) {
        const before = [...rows[i - 1].children].map(c => c.getBoundingClientRect().bottom);
        out.push(Math.max(0, Math.max(...before) - rows[i].getBoundingClientRect().top));
    }
    return out;
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_intent_page_draws_each_clause_rule_below_the_clause_before(browser, client, auth,
                                                                    draft_intent, width):
    intent = draft_intent()
    auth.login(intent.created_by)
    page = page_through(browser, client, width)
    try:
        page.goto(f"/signing/intents/{intent.id}")
        overlaps = page.evaluate(_OVERLAPS_JS, ".intent-document > .row")
    finally:
        page.context.close()
    assert len(overlaps) >= 10  # the parties ... other terms, and the consent statement
    assert overlaps == [0] * len(overlaps)


@pytest.mark.parametrize("width", [1280, 375])
def test_draft_form_draws_each_clause_rule_below_the_fields_before(browser, client, auth,
                                                                   draft_intent, width):
    intent = draft_intent()
    auth.login(intent.created_by)
    page = page_through(browser, client, width)
    try:
        page.goto(f"/signing/intents/{intent.id}/edit")
        overlaps = page.evaluate(_OVERLAPS_JS, "form fieldset > .row.border-top")
    finally:
        page.context.close()
    assert len(overlaps) >= 7  # eight clauses
    assert overlaps == [0] * len(overlaps)
