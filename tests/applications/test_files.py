"""The byte checks of uploaded files, alone (no app): what is accepted and what is refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadshow.applications import files
from tests.applications.conftest import pdf_bytes


def test_a_real_pdf_is_accepted_with_its_pages_and_hash():
    data = pdf_bytes()
    checked = files.check(data, files.DECK_TYPES, files.DECK_MAX_BYTES)
    assert checked.content_type == files.PDF
    assert checked.page_count == 2
    assert len(checked.sha256) == 64


def test_the_name_does_not_matter_only_the_bytes():
    assert files.sniff(b"hello, I am deck.pdf") is None
    assert files.sniff(b"\x89PNG\r\n\x1a\n....") == files.PNG


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"GIF89a....", "not_allowed"),
    (b"%PDF-1.4\nnot a pdf", "damaged"),
])
def test_refusals_say_why(data, reason):
    with pytest.raises(files.FileRefusedError) as refused:
        files.check(data, files.DECK_TYPES, files.DECK_MAX_BYTES)
    assert refused.value.reason == reason


def test_size_is_checked_before_anything_else():
    with pytest.raises(files.FileRefusedError) as refused:
        files.check(pdf_bytes(), files.DECK_TYPES, 100)
    assert refused.value.reason == "too_large"


def test_a_zip_is_a_deck_only_when_it_holds_a_presentation():
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(files.FileRefusedError):
        files.check(plain.getvalue(), files.DECK_TYPES, files.DECK_MAX_BYTES)


def test_a_first_page_preview_is_a_png():
    assert files.render_thumbnail(pdf_bytes()).startswith(b"\x89PNG")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tail=st.binary(max_size=400))
def test_arbitrary_bytes_after_a_pdf_header_are_accepted_or_refused_never_crash(tail):
    outcome = _outcome(b"%PDF-1.7\n" + tail)
    assert outcome == "damaged" or outcome >= 1


def _outcome(data: bytes) -> str | int:
    """The page count of an accepted file, or the reason it was refused."""
    try:
        return files.check(data, files.DECK_TYPES, files.DECK_MAX_BYTES).page_count or 0
    except files.FileRefusedError as refused:
        return refused.reason


def test_stored_names_cannot_leave_the_folder(tmp_path):
    store = files.FileStore(tmp_path)
    for bad in ("../secret", "a/b", ".hidden", ""):
        with pytest.raises(ValueError, match="bad stored name"):
            store.path(bad)
