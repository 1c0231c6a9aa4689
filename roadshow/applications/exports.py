"""CSV and Excel renderings of the organizer's application list (column headers translated)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = {
    "id": _l("ID"),
    "status": _l("Status"),
    "submitted_at": _l("Submitted at (event's zone)"),
    "title_en": _l("Title (English)"),
    "title_zh": _l("Title (Chinese)"),
    "track": _l("Track"),
    "stage": _l("Stage"),
    "team_size": _l("Team size"),
    "funding_sought_cny": _l("Funding sought (yuan)"),
    "country": _l("Country of residence"),
    "applicant": _l("Applicant"),
    "applicant_chinese": _l("Name in Chinese"),
    "email": _l("Email"),
    "nationality": _l("Nationality"),
    "institution": _l("Institution"),
    "position": _l("Position"),
    "highest_degree": _l("Highest degree"),
    "research_field": _l("Research field"),
    "districts": _l("Districts of interest"),
    "summary": _l("Summary"),
    "support_sought": _l("Support sought"),
    "video_url": _l("Video"),
    "deck": _l("Pitch deck"),
    "deck_sha256": _l("Deck SHA-256"),
}


def headers() -> list[str]:
    from roadshow.applications.services import EXPORT_COLUMNS

    return [str(HEADERS[name]) for name in EXPORT_COLUMNS]


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas typed by applicants (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    def clean(value: Any) -> Any:
        value = _cell(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Applications")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([clean(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
