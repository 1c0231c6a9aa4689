"""Minimal hand-written PDFs with pages of any shape (the probe's pathological decks)."""

from __future__ import annotations

from collections.abc import Sequence


def shaped_pdf(sizes: Sequence[tuple[float, float]], *, user_unit: float | None = None) -> bytes:
    """A PDF with one page per ``(width, height)`` in points, each filled with colour."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for width, height in sizes:
        page_number = len(objects) + 1
        content = b"0.2 0.4 0.8 rg 0 0 %g %g re f" % (width, height)
        unit = b" /UserUnit %g" % user_unit if user_unit else b""
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g]%s /Contents %d 0 R >>"
                       % (width, height, unit, page_number + 1))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        kids.append(b"%d 0 R" % page_number)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = b"%PDF-1.6\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
