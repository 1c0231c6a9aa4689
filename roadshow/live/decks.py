"""Deck pages as PNG images, rendered once on the server with pypdfium2 and cached in the
instance folder (keyed by the file's SHA-256), so every viewer sees the same slide.

Rendering runs on the render thread (:mod:`roadshow.applications.rendering`), never on the
server's event loop, and each bitmap is bounded by :func:`roadshow.applications.files.render_size`
whatever the page's shape, so a deck uploaded before page sizes were checked cannot stall or
swell the process that serves the live rooms either.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from roadshow.applications import files, rendering

log = logging.getLogger("roadshow.live.decks")

PAGE_WIDTH = 1280


class DeckUnavailableError(Exception):
    pass


def _render_to(target: Path, source: Path, page: int, width: int) -> None:
    """On the render thread (one at a time): render unless another request already did."""
    if target.is_file():
        return
    try:
        png = files.render_page_png(source, page, width)
    except IndexError as error:
        raise DeckUnavailableError("no such page") from error
    except Exception as error:  # noqa: BLE001 - pdfium fails in its own ways on broken files
        log.warning("could not render page %s of %s: %s", page, source.name, error)
        raise DeckUnavailableError("unreadable") from error
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    partial.write_bytes(png)
    partial.replace(target)


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
    if page < 1:
        raise DeckUnavailableError("no such page")
    rendering.off_loop(_render_to, target, source, page, width)
    return target
