"""Every page of the call for projects answers in both languages, with no string left in English."""

from __future__ import annotations

import pytest

from tests.applications.conftest import pdf_bytes, project_form
from tests.many_events_fixtures import event_url

ZH = {"locale": "zh_Hans_CN"}


@pytest.fixture
def sent(db, event, applicant_client):
    """A submitted application with a deck and an answer to a custom question."""
    from roadshow.events.models import EventQuestion, QuestionKind

    event.questions = [EventQuestion(kind=QuestionKind.NUMBER, prompt_zh="专利数", prompt_en="Patents"),
                       EventQuestion(kind=QuestionKind.CHOICE, prompt_zh="来源", prompt_en="Source",
                                     choices_zh="朋友\n网站", choices_en="A friend\nThe website")]
    db.session.commit()
    import io

    client, user = applicant_client
    data = project_form(event, action="submit")
    data[f"q_{event.questions[0].id}"] = "12"
    data[f"q_{event.questions[1].id}"] = "1"
    data["deck"] = (io.BytesIO(pdf_bytes()), "deck.pdf", "application/pdf")
    response = client.post(event_url(event, "/apply"), data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    from sqlalchemy import select

    from roadshow.applications.models import Application

    return db.session.scalar(select(Application))


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_applicant_pages_render_in_both_languages(login_as, db, event, sent, locale):
    from roadshow.accounts.models import User

    owner = db.session.get(User, sent.applicant_id)
    owner.locale = locale
    db.session.commit()
    client, _ = login_as(owner)
    for url in ("/dashboard", "/applications/mine", event_url(sent.event, f"/applications/{sent.id}"), event_url(event, "/apply"),
                "/apply/profile"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        if locale != "en":
            for english in ("Your application", "Pitch deck", "Submitted", "Status"):
                assert f">{english}<" not in page, (url, english)
    form_page = client.get(event_url(event, "/apply")).get_data(as_text=True)
    assert 'value="12"' in form_page
    assert "A friend" in form_page or "朋友" in form_page


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_organizer_pages_render_in_both_languages(login_as, db, event, sent, locale):
    client, _ = login_as("organizer", locale=locale)
    org = f"/o/{event.organisation.slug}"
    for url in ("/dashboard", f"{org}/events", f"{org}/events/new", event_url(event, "/edit"),
                event_url(event, "/manage"), event_url(event, "/questions"), event_url(event, ""),
                event_url(event, "/organizer/applications"), event_url(sent.event, f"/organizer/applications/{sent.id}"),
                event_url(event, "/organizer/applications/statistics")):
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(event_url(sent.event, f"/organizer/applications/{sent.id}")).get_data(as_text=True)
    assert "12" in detail
    assert ("The website" in detail) or ("网站" in detail)


def test_event_pages_count_the_applications_past_their_draft(login_as, db, event, sent, make_applicant):
    """Applications count them for the events' pages through events' APPLICATION_COUNTERS."""
    from roadshow.applications import submission

    submission.start(db.session, event, make_applicant(email="drafting@example.org"))
    db.session.commit()
    client, _ = login_as("organizer")
    listing = client.get(f"/o/{event.organisation.slug}/events").get_data(as_text=True)
    assert "<td>1</td>" in listing
    manage = client.get(event_url(event, "/manage")).get_data(as_text=True)
    assert '<span class="badge bg-light text-dark">1</span>' in manage


def test_nav_links_lead_each_role_to_its_pages(login_as, event):
    applicant, _ = login_as("applicant")
    assert 'href="/applications/mine"' in applicant.get("/dashboard").get_data(as_text=True)
    organizer, _ = login_as("organizer")
    page = organizer.get(event_url(event, "")).get_data(as_text=True)
    assert f'href="/e/{event.slug}/organizer/applications"' in page


def test_applicant_dashboard_shows_the_application_and_its_status(login_as, db, event, sent):
    from roadshow.accounts.models import User

    client, _ = login_as(db.session.get(User, sent.applicant_id))
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'href="/e/{event.slug}/applications/{sent.id}"' in page
    assert "Submitted" in page


def test_a_finalists_status_page_and_dashboard_lead_to_the_programme_not_to_the_reopened_call(login_as, db, event, sent):
    from datetime import timedelta

    from roadshow.accounts.models import User
    from roadshow.applications.models import ApplicationStatus
    from roadshow.db import utcnow
    from roadshow.events.models import PhaseKind

    sent.status = ApplicationStatus.FINALIST
    call = event.phase(PhaseKind.CALL)
    call.ends_at = utcnow() - timedelta(days=1)
    event.phase_override = PhaseKind.CALL  # the organizers reopened the call for late applicants
    db.session.commit()
    client, _ = login_as(db.session.get(User, sent.applicant_id))
    page = client.get(event_url(sent.event, f"/applications/{sent.id}")).get_data(as_text=True)
    assert f'href="/e/{event.slug}/schedule/"' in page
    assert "Applications are open again" not in page
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Applications are open again" not in dashboard
    assert "Open your application" not in dashboard
    form = client.get(event_url(event, "/apply")).get_data(as_text=True)
    assert "The selection is made: this application can no longer be changed." in form
    assert "<fieldset disabled>" in form
