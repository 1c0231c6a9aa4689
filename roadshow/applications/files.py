"""Uploaded files judged by their bytes, never by their name; stored under random names.

A pitch deck is a PDF (``%PDF-`` and parseable, at least one page) or a PowerPoint file (a zip
holding ``ppt/presentation.xml``). Answers to custom file questions may also be PNG or JPEG
images. Files live in a folder outside the web root, named by a random token, with their
SHA-256 kept in the database; a PDF's first page is rendered to a PNG thumbnail beside it.

Rendering is bounded whatever a page's shape: a PDF whose pages are absurd (tiny, huge, or a
sliver far longer than wide) is refused at upload, and every bitmap rendered from any PDF (a
thumbnail, a live deck page) stays within :data:`MAX_RENDER_PIXELS` pixels and
:data:`MAX_BITMAP_BYTES` bytes: the scale shrinks until it fits.

Imports neither Flask nor SQLAlchemy: listed in ``tests/core/test_layers.py``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
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
#: page boxes accepted in a deck, in PDF points (1/72 inch), UserUnit applied: from a business
#: card (1 inch) to the largest page the PDF specification's implementation limits allow
#: (14,400 units, 200 inches), and no longer than four times its width (or wider than long)
MIN_PAGE_SIDE_PT = 72.0
MAX_PAGE_SIDE_PT = 14_400.0
MAX_PAGE_ASPECT = 4.0
#: every rendered bitmap: at most this many pixels, and this many bytes at 4 bytes a pixel
MAX_RENDER_PIXELS = 4_000_000
BYTES_PER_PIXEL = 4
MAX_BITMAP_BYTES = 16 * 1024 * 1024
#: the most pages an uploaded PDF may have (a deck, an answer file): counted by pdfium before
#: pypdf reads every page's box, which took 8 s for a file of 100,000 one-line pages
MAX_PDF_PAGES = 2000


class FileRefusedError(ValueError):
    """The file cannot be accepted; ``reason`` is one of ``empty``, ``too_large``,
    ``not_allowed`` (its bytes are no accepted kind), ``damaged`` (claims to be a PDF or a
    presentation but cannot be read), ``encrypted`` (a PDF that needs a password) and
    ``page_size`` (a page too small, too large or too narrow to be a slide: ``page`` says which,
    ``size`` its width and height in points) and ``too_many_pages`` (more than
    :data:`MAX_PDF_PAGES`: ``pages`` says how many)."""

    def __init__(self, reason: str, *, page: int | None = None,
                 size: tuple[float, float] | None = None, pages: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.page = page
        self.size = size
        self.pages = pages


@dataclass(frozen=True)
class PageBox:
    """A page's visible size in PDF points (crop box, UserUnit applied)."""

    width: float
    height: float

    @property
    def sensible(self) -> bool:
        short, long = sorted((self.width, self.height))
        return (short >= MIN_PAGE_SIDE_PT and long <= MAX_PAGE_SIDE_PT
                and long <= short * MAX_PAGE_ASPECT)


def render_size(width_pt: float, height_pt: float, target_width: int) -> tuple[float, int, int]:
    """``(scale, width_px, height_px)`` for rendering a page ``target_width`` pixels wide,
    shrunk until the bitmap holds at most :data:`MAX_RENDER_PIXELS` pixels and
    :data:`MAX_BITMAP_BYTES` bytes, whatever the page's shape. Never less than 1 pixel a side."""
    width_pt, height_pt = max(abs(width_pt), 1e-3), max(abs(height_pt), 1e-3)
    budget = min(MAX_RENDER_PIXELS, MAX_BITMAP_BYTES // BYTES_PER_PIXEL)
    scale = target_width / width_pt
    if width_pt * height_pt * scale * scale > budget:
        scale = math.sqrt(budget / (width_pt * height_pt))
    # pdfium rounds each side up at most to the next pixel: keep the rounded product in budget
    while scale > 0 and math.ceil(width_pt * scale) * math.ceil(height_pt * scale) > budget:
        scale *= 0.99
    width_px = max(1, math.ceil(width_pt * scale))
    height_px = max(1, math.ceil(height_pt * scale))
    return scale, width_px, height_px


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
    """Parse a PDF fully enough to count its pages; refuses damaged and encrypted files and
    files of more than :data:`MAX_PDF_PAGES` pages."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    pages = _pdfium_page_count(data)
    if pages is not None and pages > MAX_PDF_PAGES:
        raise FileRefusedError("too_many_pages", pages=pages)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise FileRefusedError("encrypted")
            count = len(reader.pages)
            for number, page in enumerate(reader.pages, start=1):
                box = _page_box(page)
                if not box.sensible:
                    raise FileRefusedError("page_size", page=number, size=(box.width, box.height))
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


def _pdfium_page_count(data: bytes) -> int | None:
    """The page count pdfium (our renderer) reads, in milliseconds whatever the count; ``None``
    when pdfium cannot open the file (pypdf then says why: damaged, encrypted)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()


def _page_box(page: object) -> PageBox:
    """The size a viewer shows: the crop box (which defaults to the media box) times UserUnit."""
    box = page.cropbox  # type: ignore[attr-defined]
    unit = float(getattr(page, "user_unit", 1) or 1)
    return PageBox(abs(float(box.width)) * unit, abs(float(box.height)) * unit)


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


def render_page_png(source: bytes | str | Path, page_number: int, width: int) -> bytes:
    """1-based ``page_number`` of the PDF ``source`` (bytes or a path) as PNG bytes, about
    ``width`` pixels wide, bounded by :func:`render_size` whatever the page's shape.

    pdfium is not thread-safe: call this from one thread at a time (the render pool's single
    worker, :mod:`roadshow.applications.rendering`). Raises ``IndexError`` for a page the PDF
    does not have and pdfium's errors for a file it cannot read.
    """
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        if not 1 <= page_number <= len(pdf):
            raise IndexError(page_number)
        page = pdf[page_number - 1]
        try:
            scale, _w, _h = render_size(page.get_width(), page.get_height(), width)
            bitmap = page.render(scale=scale)
            try:
                image = bitmap.to_pil()
                out = io.BytesIO()
                image.save(out, format="PNG", optimize=False)
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        pdf.close()
    return out.getvalue()


def render_thumbnail(data: bytes, width: int = THUMBNAIL_WIDTH) -> bytes | None:
    """The first page of a PDF as PNG bytes, or None when it cannot be rendered."""
    try:
        return render_page_png(data, 1, width)
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
