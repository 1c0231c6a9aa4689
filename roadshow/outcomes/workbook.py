"""The board as one Excel workbook a leader can forward: sheets by event, district, chain and
year, then the late milestones; headers in the reader's language, every figure a number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from roadshow.i18n import localized
from roadshow.outcomes.board import FIGURES, Board, Row
from roadshow.spreadsheets import to_xlsx_sheets


def _rows(rows: list[Row], first: Callable[[Row], list[Any]]) -> list[list[Any]]:
    return [[*first(row), *(row.outcome[name] for name in FIGURES)] for row in rows]


def build(board: Board, label: Callable[[str], str]) -> bytes:
    figures = [label(name) for name in FIGURES]
    sheets = [
        (_("By event"), [_("Event"), _("Year"), *figures],
         _rows(board.events, lambda r: [localized(r, "name"), r.year])),
        (_("By district"), [_("District"), *figures],
         _rows(board.districts, lambda r: [localized(r, "name")])),
        (_("By chain"), [_("Industry chain"), *figures],
         _rows(board.tracks, lambda r: [localized(r, "name")])),
        (_("By year"), [_("Year"), *figures], _rows(board.years, lambda r: [r.year])),
        (_("Total"), figures, [[board.total[name] for name in FIGURES]]),
        (_("Late milestones"), [_("Project"), _("Milestone"), _("Responsible unit"),
                                _("Deadline"), _("Days late")],
         [[localized(m.project.intent.application, "title"), localized(m, "name"),
           localized(m.responsible_district, "name"), m.due_on.isoformat(),
           (board.today - m.due_on).days if board.today else None] for m in board.late]),
    ]
    return to_xlsx_sheets(sheets)
