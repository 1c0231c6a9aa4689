"""The intent's two-language text as Chromium lays it out: each clause's rule sits below the
clause before it, on a desktop and on a phone, on the intent's page and in the draft form.

The pages come from the Flask test client through ``tests.in_browser``: no server process."""

from __future__ import annotations

import pytest

from tests.in_browser import lines_of, page_through

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
        page.goto(f"/e/xz/signing/intents/{intent.id}")
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
        page.goto(f"/e/xz/signing/intents/{intent.id}/edit")
        overlaps = page.evaluate(_OVERLAPS_JS, "form fieldset > .row.border-top")
    finally:
        page.context.close()
    assert len(overlaps) >= 7  # eight clauses
    assert overlaps == [0] * len(overlaps)




@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
@pytest.mark.parametrize("width", [375, 800])
def test_audit_trail_and_signers_keep_their_labels_on_one_line(browser, client, auth, db,
                                                               sent_intent, locale, width):
    intent = sent_intent()
    intent.created_by.locale = locale
    db.session.commit()
    auth.login(intent.created_by)
    page = page_through(browser, client, width)
    try:
        page.goto(f"/e/xz/signing/intents/{intent.id}")
        actions = lines_of(page, "#audit-trail tbody td:nth-child(3)")
        signers = lines_of(page, "#signers tbody td:nth-child(2), #signers tbody td:nth-child(4)")
    finally:
        page.context.close()
    assert len(actions) == 3  # created, sent for signing, viewed
    assert len(signers) == 6  # the three signers' roles and states
    for text, lines, room_right in actions + signers:
        assert lines == 1, (text, lines)
        assert room_right >= 0, (text, room_right)
