"""When only the profile stops a submission, the message says so instead of pointing at fields
that are not marked."""

from __future__ import annotations

import io
import re

from tests.applications.conftest import pdf_bytes, project_form
from tests.many_events_fixtures import event_url


def _submit(client, event):  # type: ignore[no-untyped-def]
    data = dict(project_form(event, action="submit"))
    data["deck"] = (io.BytesIO(pdf_bytes()), "deck.pdf", "application/pdf")
    return client.post(event_url(event, "/apply"), data=data, content_type="multipart/form-data")


def test_a_complete_application_with_an_incomplete_profile_says_the_profile_is_missing(
        db, event, login_as):
    client, _user = login_as("applicant", locale="en")
    response = _submit(client, event)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "fields marked below" not in page
    assert "your applicant profile is incomplete" in page
    assert "Nationality" in page
    assert "Highest degree" in page
    assert "This is needed to submit." not in page


def test_the_chinese_message_names_the_profile_fields_in_chinese(db, event, login_as):
    client, _user = login_as("applicant", locale="zh_Hans_CN")
    page = _submit(client, event).get_data(as_text=True)
    flash = re.search(r'<div class="alert[^"]*"[^>]*>([^<]*草稿[^<]*)<', page).group(1)
    assert "国籍" in flash
    assert "资料" in flash
    assert "标出" not in flash
