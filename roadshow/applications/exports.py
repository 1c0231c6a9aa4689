"""CSV and Excel (Office Open XML) renderings of the organizer's application list (column headers translated)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from flask_babel import lazy_gettext as _l

from roadshow.applications.forms import DEGREE_LABELS, STAGE_LABELS, STATUS_LABELS
from roadshow.applications.organizer_list import EXPORT_COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = {
    "id": _l("ID"),
    "status": _l("Status"),
    "submitted_at": _l("Submitted at (event's zone)"),
    "title_en": _l("Title (English)"),
    "title_zh": _l("Title (Chinese)"),
    "track": _l("Track"),
    "stage": _l("Project stage"),
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


def headers(zone: str | None = None) -> list[str]:
    """The column headers; with ``zone`` (the event's), the time column names it."""
    named = {"submitted_at": _l("Submitted at (%(zone)s)", zone=zone)} if zone else {}
    return [str(named.get(name, HEADERS[name])) for name in EXPORT_COLUMNS]


def localize(rows: list[list[Any]], tracks: Mapping[str, str] | None = None,
             districts: Mapping[str, str] | None = None) -> list[list[Any]]:
    """Status, stage and degree in the reader's language; the track and the districts by their
    names (``tracks`` and ``districts`` map codes to names in that language), the districts
    separated by "; " (country codes stay codes)."""
    maps = {EXPORT_COLUMNS.index(name): {k: str(v) for k, v in labels.items()}
            for name, labels in (("status", STATUS_LABELS), ("stage", STAGE_LABELS),
                                 ("highest_degree", DEGREE_LABELS), ("track", tracks or {}))}
    district_names = districts or {}
    district_index = EXPORT_COLUMNS.index("districts")
    for row in rows:
        for index, labels in maps.items():
            row[index] = labels.get(row[index], row[index])
        codes = row[district_index]
        if isinstance(codes, list | tuple):
            row[district_index] = DISTRICT_SEPARATOR.join(district_names.get(c, c) for c in codes)
    return rows


DISTRICT_SEPARATOR = "; "


def plain_amount(value: Decimal) -> str:
    """8000000.00 as 8000000, 12.50 as 12.5: what a spreadsheet reads as the number itself."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas typed by applicants (CSV/formula injection)."""
    if isinstance(value, Decimal):
        return plain_amount(value)
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


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str) -> bytes:
    """An Excel workbook (one sheet, bold frozen header), written with XlsxWriter.

    Constant-memory mode streams rows to the sheet, so ten thousand rows take about a second.
    Strings are written as text, never as formulas or links, so what applicants typed cannot
    run in the reader's spreadsheet.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    sheet = book.add_worksheet(_SHEET_NAME_BAD.sub(" ", title).strip()[:31] or "Sheet1")
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [str(name) for name in header], book.add_format({"bold": True}))
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, [_xlsx_value(value) for value in row])
    book.close()
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return _ILLEGAL_XML.sub("", str(value))
