"""Deck pages as PNG images, rendered once on the server with pypdfium2 and cached in the
instance folder (keyed by the file's SHA-256), so every viewer sees the same slide."""

from __future__ import annotations

import io
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger("roadshow.live.decks")

PAGE_WIDTH = 1280
_render_lock = threading.Lock()


class DeckUnavailableError(Exception):
    pass


def page_image(source: Path, sha256: str, page: int, cache_root: Path,
               width: int = PAGE_WIDTH) -> Path:
    """The PNG of 1-based ``page`` of the PDF at ``source``; rendered on first request."""
    if not sha256.isalnum():
        raise DeckUnavailableError("bad digest")
    target = cache_root / sha256 / f"{page}-{width}.png"
    if target.is_file():
        return target
    if not source.is_file():
        raise DeckUnavailableError("missing file")
    import pypdfium2 as pdfium

    with _render_lock:  # pdfium is not thread-safe
        if target.is_file():
            return target
        try:
            pdf = pdfium.PdfDocument(str(source))
        except pdfium.PdfiumError as error:
            raise DeckUnavailableError("unreadable") from error
        try:
            if not 1 <= page <= len(pdf):
                raise DeckUnavailableError("no such page")
            pdf_page = pdf[page - 1]
            scale = width / max(pdf_page.get_width(), 1)
            image = pdf_page.render(scale=scale).to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG")
            pdf_page.close()
        finally:
            pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    partial.write_bytes(out.getvalue())
    partial.replace(target)
    return target
