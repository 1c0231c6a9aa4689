"""The public catalogue's downloads kept as files (issue 15).

Drawing the PDF of a round of some 900 demands takes seconds, and every anonymous visitor of
the catalogue asked for it again. A download is now stored once per version: its file's name
is the download's stem (round, language, filters) and a fingerprint of everything it shows
(the round's titles, the published demands' ids and last changes, the names of the districts
and fields it prints). The first download of a version draws and stores it; the next ones read
the file; a demand published, edited or withdrawn, or a renamed district, makes a new
fingerprint, so a new file, and the older versions of the same stem are removed.

Pure: imports neither flask nor sqlalchemy; the view hands it the folder and the parts.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

#: raised when the layout of the downloads changes, so that files drawn before are not served
LAYOUT = 1


def fingerprint(parts: Iterable[object]) -> str:
    """A short, stable digest of ``parts`` (their ``repr``s, in order)."""
    digest = hashlib.sha256(f"layout {LAYOUT}".encode())
    for part in parts:
        digest.update(b"\x1f")
        digest.update(repr(part).encode("utf-8"))
    return digest.hexdigest()[:32]


def fetch(folder: Path, stem: str, version: str, suffix: str,
          render: Callable[[], bytes]) -> tuple[bytes, bool]:
    """The body stored as ``<stem>.<version>.<suffix>`` in ``folder``, and True; or, when there
    is none, ``render()``'s body, stored for the next time (older versions of ``stem`` are
    removed), and False. A folder that cannot be written costs the storing, not the download."""
    path = folder / f"{stem}.{version}.{suffix}"
    try:
        return path.read_bytes(), True
    except OSError:  # not drawn yet, or a folder that cannot be read: draw it
        pass
    body = render()
    try:
        _store(folder, path, body)
    except OSError:
        log.exception("could not keep the download %s", path)
        return body, False
    for older in folder.glob(f"{stem}.*.{suffix}"):
        if older != path:
            older.unlink(missing_ok=True)
    return body, False


def _store(folder: Path, path: Path, body: bytes) -> None:
    """Writes ``body`` to ``path`` at once: a reader sees the whole file or none."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
