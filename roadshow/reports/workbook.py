"""The reports as an Excel workbook (issue 13, §4): sheets Events, Districts, Tracks, Years and
Countries, headers in the reader's language, every figure a number (a figure not counted is an
empty cell)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from roadshow.reports.figures import Report


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(row[index - 1])) for row in rows if
                                          row[index - 1] is not None])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 4)


def build(report: Report, *, name: Callable[[Any, str], str], country: Callable[[str], str],
          state: Callable[[str], str], kind: Callable[[str], str]) -> bytes:
    """The workbook's bytes. ``name(obj, field)`` gives a bilingual field in the reader's
    language; ``country``, ``state`` and ``kind`` name a code for the reader."""
    book = Workbook()
    book.remove(book.active)
    funnel_header = [_("Applications"), _("Countries"), _("Finalists"), _("Pitched"),
                     _("Intents signed"), _("Landed")]

    def funnel_cells(funnel: Any) -> list[Any]:
        return [funnel.submitted, funnel.countries, funnel.finalists, funnel.pitched,
                funnel.intents_signed, funnel.landed]

    _sheet(book, pgettext("workbook sheet", "Events"), [_("Event"), _("Slug"), _("Kind"), _("Year"), _("State"),
                               *funnel_header],
           [[name(f.event, "title"), f.event.slug, kind(str(f.event.kind)), f.year, state(f.state),
             *funnel_cells(f.funnel)] for f in report.events])
    _sheet(book, pgettext("workbook sheet", "Districts"), [_("District"), _("Interests"), _("Docking requests"),
                                  _("Intents"), _("Intents signed")],
           [[name(d.district, "name"), d.interests, d.docking_requests, d.intents,
             d.intents_signed] for d in report.districts])
    _sheet(book, pgettext("workbook sheet", "Tracks"), [_("Track"), _("Code"), _("Applications"), _("Finalists")],
           [[name(t, "name"), t.code, t.applications, t.finalists] for t in report.tracks])
    _sheet(book, pgettext("workbook sheet", "Years"), [_("Year"), _("Events"), *funnel_header],
           [[y.year, y.events, *funnel_cells(y.funnel)] for y in report.years])
    _sheet(book, pgettext("workbook sheet", "Countries"), [_("Country"), _("Code"), _("Applications")],
           [[country(code) if code else _("Not given"), code, count]
            for code, count in report.countries])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
