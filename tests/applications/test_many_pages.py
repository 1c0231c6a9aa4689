"""A PDF with more pages than any deck or answer file has is refused by counting its pages in
pdfium (milliseconds) before pypdf reads every page's box: an 8 MB file of 100,000 one-line
pages held the single render thread (and so every thumbnail and live deck page) for 8 s."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from roadshow.applications import files
from tests.applications.pdfs import shaped_pdf
from tests.applications.test_decks import the_application, upload
from tests.conftest import Auth

SLIDE = (960.0, 540.0)


def test_a_pdf_with_more_pages_than_allowed_is_refused_with_its_count():
    with pytest.raises(files.FileRefusedError) as refused:
        files.check(shaped_pdf([SLIDE] * (files.MAX_PDF_PAGES + 1)), files.DECK_TYPES,
                    files.DECK_MAX_BYTES)
    assert refused.value.reason == "too_many_pages"
    assert refused.value.pages == files.MAX_PDF_PAGES + 1


def test_a_pdf_with_as_many_pages_as_allowed_is_accepted():
    checked = files.check(shaped_pdf([SLIDE] * files.MAX_PDF_PAGES), files.DECK_TYPES,
                          files.DECK_MAX_BYTES)
    assert checked.page_count == files.MAX_PDF_PAGES


def test_a_password_protected_pdf_is_still_refused_as_encrypted():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(shaped_pdf([SLIDE]))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(files.FileRefusedError) as refused:
        files.check(out.getvalue(), files.DECK_TYPES, files.DECK_MAX_BYTES)
    assert refused.value.reason == "encrypted"


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "This PDF has 2,001 pages"),
    ("zh_Hans_CN", "此 PDF 共 2,001 页"),
])
def test_a_deck_with_too_many_pages_is_refused_in_the_readers_language(
        app, db, event, make_applicant, locale, expected):
    client = app.test_client()
    Auth(client).login(make_applicant(locale=locale))
    response = upload(client, event, shaped_pdf([SLIDE] * 2001), action="submit")
    assert response.status_code == 422
    assert expected in response.get_data(as_text=True)
    application = the_application(db)
    assert application.deck is None
    assert application.title_en.startswith("Low-power IoT")
    assert not list((Path(app.config["UPLOAD_FOLDER"]) / "decks").glob("*"))
