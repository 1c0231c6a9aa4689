"""Uploaded files judged by their bytes, never by their name; stored under random names.

A pitch deck is a PDF (``%PDF-`` and parseable, at least one page) or a PowerPoint file (a zip
holding ``ppt/presentation.xml``). Answers to custom file questions may also be PNG or JPEG
images. Files live in a folder outside the web root, named by a random token, with their
SHA-256 kept in the database; a PDF's first page is rendered to a PNG thumbnail beside it.

Imports neither Flask nor SQLAlchemy: listed in ``tests/core/test_layers.py``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("roadshow.applications.files")

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PNG = "image/png"
JPEG = "image/jpeg"

EXTENSIONS = {PDF: ".pdf", PPTX: ".pptx", PNG: ".png", JPEG: ".jpg"}
DECK_TYPES = frozenset({PDF, PPTX})
ANSWER_TYPES = frozenset({PDF, PNG, JPEG})
#: the default largest deck, in bytes (the app's own request limit is larger)
DECK_MAX_BYTES = 15 * 1024 * 1024
THUMBNAIL_WIDTH = 360


class FileRefusedError(ValueError):
    """The file cannot be accepted; ``reason`` is one of ``empty``, ``too_large``,
    ``not_allowed`` (its bytes are no accepted kind), ``damaged`` (claims to be a PDF or a
    presentation but cannot be read) and ``encrypted`` (a PDF that needs a password)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size_bytes: int
    sha256: str
    page_count: int | None


def sniff(data: bytes) -> str | None:
    """The content type the bytes actually are (by their signature), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return PPTX  # confirmed by check(): a zip is a presentation only with ppt/presentation.xml
    return None


def pdf_page_count(data: bytes) -> int:
    """Parse a PDF fully enough to count its pages; refuses damaged and encrypted files."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise FileRefusedError("encrypted")
            count = len(reader.pages)
    except FileRefusedError:
        raise
    except PyPdfError as error:
        log.info("refused a PDF that does not parse: %s", error)
        raise FileRefusedError("damaged") from error
    except Exception as error:  # noqa: BLE001 - a parser fed arbitrary bytes may fail in any way
        log.info("refused a PDF that breaks the parser: %r", error)
        raise FileRefusedError("damaged") from error
    if count < 1:
        raise FileRefusedError("damaged")
    return count


def _is_presentation(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "ppt/presentation.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def check(data: bytes, allowed: frozenset[str], max_bytes: int) -> CheckedFile:
    """Accept the bytes as one of ``allowed`` content types, or raise :class:`FileRefusedError`."""
    if not data:
        raise FileRefusedError("empty")
    if len(data) > max_bytes:
        raise FileRefusedError("too_large")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise FileRefusedError("not_allowed")
    pages = None
    if kind == PDF:
        pages = pdf_page_count(data)
    elif kind == PPTX and not _is_presentation(data):
        raise FileRefusedError("not_allowed")
    return CheckedFile(kind, len(data), hashlib.sha256(data).hexdigest(), pages)


def new_stored_name(content_type: str) -> str:
    return secrets.token_urlsafe(24) + EXTENSIONS.get(content_type, "")


def render_thumbnail(data: bytes, width: int = THUMBNAIL_WIDTH) -> bytes | None:
    """The first page of a PDF as PNG bytes, or None when it cannot be rendered."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[0]
            scale = width / max(page.get_width(), 1)
            image = page.render(scale=scale).to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=False)
            page.close()
            return out.getvalue()
        finally:
            pdf.close()
    except Exception as error:  # noqa: BLE001 - a preview is optional: any failure means none
        log.warning("could not render a thumbnail: %s", error)
        return None


class FileStore:
    """A folder of uploaded files named by random tokens (outside the web root)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, stored_name: str) -> Path:
        if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
            raise ValueError("bad stored name")
        return self.root / stored_name

    def thumbnail_path(self, stored_name: str) -> Path:
        return self.path(stored_name + ".thumb.png")

    def save(self, stored_name: str, data: bytes) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.path(stored_name)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
        return target

    def read(self, stored_name: str) -> bytes:
        return self.path(stored_name).read_bytes()

    def exists(self, stored_name: str) -> bool:
        return self.path(stored_name).is_file()

    def delete(self, stored_name: str) -> None:
        for target in (self.path(stored_name), self.thumbnail_path(stored_name)):
            target.unlink(missing_ok=True)
