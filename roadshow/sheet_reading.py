"""Reading an uploaded table: CSV (UTF-8, with or without a byte-order mark, or GB18030 as
Chinese Excel saves it) and Excel (.xlsx, read-only), the first row being the header, every cell
as text. What cannot be read raises :class:`SheetError` with a message key the views translate.

Pure: no Flask, no database (the talent pool's import and an event's bulk invitations use it).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

#: the largest file and the most rows one upload takes
MAX_BYTES = 15 * 1024 * 1024
MAX_ROWS = 20_000


class SheetError(Exception):  # noqa: N818 - what the reader is told, not a programming error
    """The file cannot be imported: ``key`` names the message, ``params`` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Table:
    """The header row and the data rows (as text, each as long as the header)."""

    headers: list[str]
    rows: list[list[str]]


# --- reading the file ---------------------------------------------------------------------------

def read_table(filename: str, data: bytes) -> Table:
    """The table in an uploaded file, by its name's ending (.csv, .txt, .xlsx, .xlsm).

    Raises :class:`SheetError`: ``too_large``, ``unsupported``, ``unreadable``, ``encoding``,
    ``empty`` (no header or no row), ``too_many_rows``."""
    if len(data) > MAX_BYTES:
        raise SheetError("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise SheetError("unsupported")
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise SheetError("empty")
    headers = [cell.strip() for cell in rows[0]]
    width = max(len(headers), *(len(row) for row in rows))
    headers += [""] * (width - len(headers))
    body = [row + [""] * (width - len(row)) for row in rows[1:]]
    if not body:
        raise SheetError("empty")
    if len(body) > MAX_ROWS:
        raise SheetError("too_many_rows", rows=len(body), limit=MAX_ROWS)
    return Table(headers=headers, rows=body)


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else GB18030 (which covers GBK and GB2312,
    what Excel in Chinese saves CSV as)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError("encoding")


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode(data)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise SheetError("unreadable") from error


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SheetError("unreadable") from error
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise SheetError("empty")
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([cell_text(value) for value in values])
            if len(rows) > MAX_ROWS + 1 and any(rows[-1]):
                raise SheetError("too_many_rows", rows=len(rows) - 1, limit=MAX_ROWS)
        return rows
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: a whole number without ".0" (phone numbers are often typed as
    numbers), a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
