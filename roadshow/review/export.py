"""Export of the whole review: every review, every score, and the aggregates, as CSV or Excel.

Read as the organizer's spreadsheet, like the applications export: headers in the reader's
language, labels instead of codes (round, status, decision, interest, track by its name), times
to the minute in the event's zone, which the header names. One row per application, review or
score; the columns keep their order (the rubric's criteria in the rubric's order)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.applications.exports import DISTRICT_SEPARATOR, to_csv
from roadshow.applications.forms import STATUS_LABELS
from roadshow.applications.models import Application
from roadshow.events.models import Event
from roadshow.i18n import localized
from roadshow.review import aggregation_and_ranking, figures, settings_and_rubric
from roadshow.review.models import LIVE, PRELIMINARY, InterestLevel, Review, ReviewStatus
from roadshow.scoping import scoped

SHEETS = ("ranking", "reviews", "scores")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_TITLES = {"ranking": _l("Ranking"), "reviews": _l("Reviews by judge"), "scores": _l("Scores by criterion")}

RANKING_HEADERS = (
    _l("Normalised rank"), _l("Raw rank"), _l("Application number"), _l("Title (English)"),
    _l("Title (Chinese)"), _l("Applicant"), _l("Country of residence"), _l("Track"), _l("Reviews"),
    _l("Mean total"), _l("Normalised score"), _l("Spread"), _l("Standard deviation"),
    _l("Judges disagree"), _l("District interest"), _l("Decision"), _l("Override"),
    _l("Reason for the override"), _l("Status"), _l("Live rank"), _l("Live reviews"),
    _l("Live mean total"),
)
#: the reviews sheet's first columns; then the submission time, named by its zone
#: (:func:`review_rows`), the overall comment and one column per criterion
REVIEW_HEADERS = (
    _l("Review number"), _l("Round"), _l("Application number"), _l("Judge number"), _l("Judge"),
    _l("Status"), _l("Total"),
)
SCORE_HEADERS = (
    _l("Review number"), _l("Round"), _l("Application number"), _l("Judge number"), _l("Criterion"),
    _l("Weight"), _l("Lowest score"), _l("Highest score"), _l("Score"), _l("Comment"),
)

ROUND_LABELS = {PRELIMINARY: _l("Preliminary review"), LIVE: _l("Live round")}
DECISION_LABELS = {True: _l("Finalist"), False: _l("Not selected")}
REVIEW_STATUS_LABELS = {ReviewStatus.DRAFT: _l("Draft"), ReviewStatus.SUBMITTED: _l("Submitted")}
INTEREST_LABELS = {InterestLevel.NONE: _l("No interest"), InterestLevel.INTERESTED: _l("Interested"),
                   InterestLevel.STRONG: _l("Strongly interested")}


def _n(value: float | None) -> float | int | str:
    """A figure as a spreadsheet reads it: 3 decimals at most, 7 rather than 7.0, empty for none."""
    if value is None:
        return ""
    value = round(value, 3)
    return int(value) if float(value).is_integer() else value


def _total(value: float | None) -> float | int | str:
    """A total, or a mean, spread or deviation of totals, to the rubric's precision (86.1,
    not 86.11111111111111); the spreadsheet writes it in its reader's locale."""
    return _n(figures.round_total(value))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def _round(code: str) -> str:
    return str(ROUND_LABELS.get(code, code))


def _when(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def ranking_rows(session: Session, event: Event) -> Iterator[list[Any]]:
    yield [str(h) for h in RANKING_HEADERS]
    for row in aggregation_and_ranking.ranking(session, event):
        a, agg, d = row.application, row.aggregate, row.decision
        interest = DISTRICT_SEPARATOR.join(
            _("%(label)s: %(value)s", label=localized(i.district, "name"), value=INTEREST_LABELS[i.level])
            for i in row.interest)
        yield [
            agg.normalised_rank if agg else "", agg.raw_rank if agg else "", a.id, a.title_en, a.title_zh,
            a.applicant.name, a.country, localized(a.track, "name") if a.track else "", agg.count if agg else 0,
            _total(agg.mean if agg else None), _total(agg.normalised if agg else None),
            _total(agg.spread if agg else None), _total(agg.stdev if agg else None),
            _yes_no(agg.disagreement if agg else None), interest,
            str(DECISION_LABELS[d.selected]) if d else "",
            _yes_no(d.overridden if d else None), d.override_reason if d else "",
            str(STATUS_LABELS.get(a.status.value, a.status.value)),
            row.live.normalised_rank if row.live else "", row.live.count if row.live else 0,
            _total(row.live.mean if row.live else None),
        ]


def _reviews(session: Session, event: Event) -> list[Review]:
    return list(session.scalars(scoped(
        select(Review).join(Application, Application.id == Review.application_id)
        .where(Application.event_id == event.id)
        .options(selectinload(Review.scores), selectinload(Review.judge))
        .order_by(Review.application_id, Review.round, Review.judge_id), event)))


def review_rows(session: Session, event: Event) -> Iterator[list[Any]]:
    criteria = settings_and_rubric.rubric(session, event.id)
    zone = ZoneInfo(event.timezone)
    yield ([str(h) for h in REVIEW_HEADERS]
           + [_("Submitted at (%(zone)s)", zone=event.timezone), _("Overall comment")]
           + [localized(c, "name") for c in criteria])
    for review in _reviews(session, event):
        by_criterion = {s.criterion_id: s.value for s in review.scores}
        yield ([review.id, _round(review.round), review.application_id, review.judge_id, review.judge.name,
                str(REVIEW_STATUS_LABELS[review.status]), _total(review.total),
                _when(review.submitted_at, zone), review.overall_comment]
               + [_n(by_criterion.get(c.id)) for c in criteria])


def score_rows(session: Session, event: Event) -> Iterator[list[Any]]:
    criteria = {c.id: c for c in settings_and_rubric.rubric(session, event.id)}
    yield [str(h) for h in SCORE_HEADERS]
    for review in _reviews(session, event):
        for score in sorted(review.scores, key=lambda s: criteria[s.criterion_id].position
                            if s.criterion_id in criteria else 0):
            c = criteria.get(score.criterion_id)
            if c is None:
                continue
            yield [review.id, _round(review.round), review.application_id, review.judge_id,
                   localized(c, "name"), _n(c.weight), c.scale_min, c.scale_max, _n(score.value), score.comment]


ROWS = {"ranking": ranking_rows, "reviews": review_rows, "scores": score_rows}


def as_csv(session: Session, event: Event, sheet: str) -> bytes:
    """UTF-8 with a byte-order mark; text that a spreadsheet would run as a formula is quoted."""
    header, *rows = ROWS[sheet](session, event)
    return to_csv(header, rows)


def as_xlsx(session: Session, event: Event) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        ws = book.create_sheet(str(SHEET_TITLES[sheet]))
        for i, row in enumerate(ROWS[sheet](session, event)):
            # judges' and applicants' text: without the control characters Excel refuses
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
                if i == 0:
                    cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["CSV_TYPE", "PRELIMINARY", "SHEETS", "XLSX_TYPE", "as_csv", "as_xlsx"]
