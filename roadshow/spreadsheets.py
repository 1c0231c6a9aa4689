"""Writing a table as a CSV file or an Excel workbook, for every export (applications, talent pool).

Both guard against what people typed: CSV cells that would start a formula get a leading quote,
and the workbook writes strings as text, never as formulas, links or numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain_amount(value: Decimal) -> str:
    """8000000.00 as 8000000, 12.50 as 12.5: what a spreadsheet reads as the number itself."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas typed by people (CSV/formula injection)."""
    if isinstance(value, Decimal):
        return plain_amount(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """An Excel workbook (one sheet, bold frozen header), written with XlsxWriter.

    Constant-memory mode streams rows to the sheet, so ten thousand rows take about a second.
    Strings are written as text, never as formulas or links, so what people typed cannot run
    in the reader's spreadsheet.
    """
    return to_xlsx_sheets([(title, header, rows)])


def to_xlsx_sheets(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """One workbook of several sheets ``(title, header, rows)``, each as :func:`to_xlsx` writes
    its one (a board a leader forwards: its figures by event, district, chain and year)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    bold = book.add_format({"bold": True})
    used: set[str] = set()
    for title, header, rows in sheets:
        name = _SHEET_NAME_BAD.sub(" ", title).strip()[:31] or "Sheet1"
        while name.lower() in used:
            name = f"{name[:28]} {len(used) + 1}"
        used.add(name.lower())
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, [str(column) for column in header], bold)
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
