"""Pitch decks: checked by their bytes, stored outside the web root, served only to the allowed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from roadshow import PACKAGE_DIR
from roadshow.applications import policy
from roadshow.applications.models import Application
from tests.applications.conftest import pdf_bytes, project_form
from tests.conftest import Auth
from tests.many_events_fixtures import event_url


def upload(client, event, content, name="deck.pdf", content_type="application/pdf", **overrides):
    data = project_form(event, **overrides)
    data["deck"] = (io.BytesIO(content), name, content_type)
    return client.post(event_url(event, "/apply"), data=data, content_type="multipart/form-data")


def the_application(db):
    db.session.expire_all()
    return db.session.scalar(select(Application))


def test_pdf_is_stored_under_a_random_name_outside_the_web_root_with_its_hash(app, db, event, applicant_client):
    client, _ = applicant_client
    content = pdf_bytes("Our deck")
    assert upload(client, event, content, name="../../etc/passwd.pdf").status_code == 302
    deck = the_application(db).deck
    assert deck.sha256 == hashlib.sha256(content).hexdigest()
    assert deck.original_name == "passwd.pdf"
    stored = Path(app.config["UPLOAD_FOLDER"]) / "decks" / deck.stored_name
    assert stored.read_bytes() == content
    assert "passwd" not in deck.stored_name
    assert not str(stored.resolve()).startswith(str((PACKAGE_DIR / "static").resolve()))
    thumbnail = stored.with_name(deck.stored_name + ".thumb.png")
    assert thumbnail.read_bytes().startswith(b"\x89PNG")


def test_a_text_file_named_pdf_is_refused_and_the_rest_of_the_form_kept(db, event, applicant_client):
    client, _ = applicant_client
    response = upload(client, event, b"Just some text pretending to be a PDF", action="submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not a PDF" in page
    application = the_application(db)
    assert application.deck is None
    assert application.title_en.startswith("Low-power IoT")
    assert application.status.value == "draft"


def test_a_file_with_a_pdf_header_but_no_pdf_inside_is_refused(db, event, applicant_client):
    client, _ = applicant_client
    response = upload(client, event, b"%PDF-1.7\n this is not really a pdf at all\n%%EOF")
    assert "cannot be read" in response.get_data(as_text=True)
    assert the_application(db).deck is None


def test_an_oversized_deck_is_refused_with_a_friendly_message(app, db, event, applicant_client):
    app.config["DECK_MAX_BYTES"] = 2048
    client, _ = applicant_client
    response = upload(client, event, pdf_bytes() + b"\n" + b"%" * 4096)
    assert "larger than 0 MB" in response.get_data(as_text=True) or "larger than" in response.get_data(as_text=True)
    assert the_application(db).deck is None


def test_a_request_beyond_the_sites_limit_gets_the_friendly_413_page(app, event, applicant_client):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    client, _ = applicant_client
    response = upload(client, event, b"%PDF-" + b"x" * 20_000)
    assert response.status_code == 413
    assert "smaller file" in response.get_data(as_text=True)


def test_a_powerpoint_file_is_accepted_and_a_plain_zip_is_not(db, event, applicant_client):
    client, _ = applicant_client
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    upload(client, event, plain.getvalue(), name="deck.pptx",
           content_type="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    assert the_application(db).deck is None
    pptx = io.BytesIO()
    with zipfile.ZipFile(pptx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    upload(client, event, pptx.getvalue(), name="deck.pptx", form_token="t2",
           content_type="application/octet-stream")
    deck = the_application(db).deck
    assert deck.content_type == "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@pytest.fixture
def submitted(db, event, applicant_client):
    client, owner = applicant_client
    upload(client, event, pdf_bytes(), action="submit")
    application = the_application(db)
    assert application.status.value == "submitted"
    return client, owner, application


def test_owner_downloads_the_deck_as_an_attachment_with_safe_headers(submitted):
    client, _, application = submitted
    response = client.get(event_url(application.event, f"/applications/{application.id}/deck"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data.startswith(b"%PDF-")
    preview = client.get(event_url(application.event, f"/applications/{application.id}/deck/preview.png"))
    assert preview.status_code == 200
    assert preview.mimetype == "image/png"


def test_organizer_downloads_any_deck(submitted, login_as):
    _, _, application = submitted
    client, _ = login_as("organizer")
    assert client.get(event_url(application.event, f"/applications/{application.id}/deck")).status_code == 200


def test_another_applicant_gets_not_found(submitted, make_applicant, app):
    _, _, application = submitted
    other = app.test_client()
    Auth(other).login(make_applicant())
    assert other.get(event_url(application.event, f"/applications/{application.id}/deck")).status_code == 404
    assert other.get(event_url(application.event, f"/applications/{application.id}/deck/preview.png")).status_code == 404


def test_a_judge_not_assigned_is_refused(submitted, login_as):
    _, _, application = submitted
    client, _judge = login_as("judge")  # a judge of this event, not assigned to the application
    assert client.get(event_url(application.event, f"/applications/{application.id}/deck")).status_code == 403


def test_anonymous_gets_not_found(submitted, app):
    _, _, application = submitted
    assert app.test_client().get(event_url(application.event, f"/applications/{application.id}/deck")).status_code == 404


def test_a_judge_granted_by_the_review_domain_reads_the_deck(submitted, login_as):
    _, _, application = submitted
    client, judge = login_as("judge")

    def assigned(session, user, app_):
        return user.id == judge.id and app_.id == application.id

    policy.DECK_READERS.append(assigned)
    try:
        assert client.get(event_url(application.event, f"/applications/{application.id}/deck")).status_code == 200
    finally:
        policy.DECK_READERS.remove(assigned)


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Page 1 of this PDF measures 0.1 × 352.8 cm"),
    ("zh_Hans_CN", "此 PDF 的第 1 页尺寸为 0.1 × 352.8 厘米"),
])
def test_a_deck_with_an_absurd_page_is_refused_in_the_readers_language(
        app, db, event, make_applicant, locale, expected):
    from tests.applications.pdfs import shaped_pdf

    client = app.test_client()
    Auth(client).login(make_applicant(locale=locale))
    response = upload(client, event, shaped_pdf([(4, 10_000)]), action="submit")
    assert response.status_code == 422
    assert expected in response.get_data(as_text=True)
    application = the_application(db)
    assert application.deck is None
    assert application.title_en.startswith("Low-power IoT")
    assert not list((Path(app.config["UPLOAD_FOLDER"]) / "decks").glob("*"))
