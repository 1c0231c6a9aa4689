"""Export of the whole review: every review, every score, and the aggregates, as CSV or Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.applications.models import Application
from roadshow.events.models import Event
from roadshow.review import services
from roadshow.review.models import PRELIMINARY, Review

SHEETS = ("ranking", "reviews", "scores")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _r(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


def ranking_rows(session: Session, event: Event) -> Iterator[list[Any]]:
    yield ["normalised_rank", "raw_rank", "application_id", "title_en", "title_zh", "applicant",
           "country", "track", "reviews", "mean_total", "normalised_score", "spread", "stdev",
           "disagreement", "district_interest", "decision", "overridden", "override_reason", "status",
           "live_rank", "live_reviews", "live_mean_total"]
    for row in services.ranking(session, event):
        a, agg, d = row.application, row.aggregate, row.decision
        yield [
            agg.normalised_rank if agg else "", agg.raw_rank if agg else "", a.id, a.title_en, a.title_zh,
            a.applicant.name, a.country, a.track.code if a.track else "", agg.count if agg else 0,
            _r(agg.mean if agg else None), _r(agg.normalised if agg else None),
            _r(agg.spread if agg else None), _r(agg.stdev if agg else None),
            "yes" if agg and agg.disagreement else "",
            "; ".join(f"{i.district.code}:{i.level.value}" for i in row.interest),
            ("finalist" if d.selected else "not_selected") if d else "",
            "yes" if d and d.overridden else "", d.override_reason if d else "", a.status.value,
            row.live.normalised_rank if row.live else "", row.live.count if row.live else 0,
            _r(row.live.mean if row.live else None),
        ]


def _reviews(session: Session, event: Event) -> list[Review]:
    return list(session.scalars(
        select(Review).join(Application, Application.id == Review.application_id)
        .where(Application.event_id == event.id)
        .options(selectinload(Review.scores), selectinload(Review.judge))
        .order_by(Review.application_id, Review.round, Review.judge_id)))


def review_rows(session: Session, event: Event) -> Iterator[list[Any]]:
    criteria = services.rubric(session, event.id)
    yield (["review_id", "round", "application_id", "judge_id", "judge", "status", "total",
            "submitted_at_utc", "comment"] + [c.code for c in criteria])
    for review in _reviews(session, event):
        by_criterion = {s.criterion_id: s.value for s in review.scores}
        yield ([review.id, review.round, review.application_id, review.judge_id, review.judge.name,
                review.status.value, _r(review.total),
                review.submitted_at.isoformat() if review.submitted_at else "", review.overall_comment]
               + [_r(by_criterion.get(c.id)) for c in criteria])


def score_rows(session: Session, event: Event) -> Iterator[list[Any]]:
    criteria = {c.id: c for c in services.rubric(session, event.id)}
    yield ["review_id", "round", "application_id", "judge_id", "criterion", "weight", "scale_min",
           "scale_max", "value", "comment"]
    for review in _reviews(session, event):
        for score in sorted(review.scores, key=lambda s: criteria[s.criterion_id].position
                            if s.criterion_id in criteria else 0):
            c = criteria.get(score.criterion_id)
            if c is None:
                continue
            yield [review.id, review.round, review.application_id, review.judge_id, c.code, c.weight,
                   c.scale_min, c.scale_max, score.value, score.comment]


ROWS = {"ranking": ranking_rows, "reviews": review_rows, "scores": score_rows}


def as_csv(session: Session, event: Event, sheet: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in ROWS[sheet](session, event):
        writer.writerow(row)
    # a byte-order mark so spreadsheet programs read the Chinese titles as UTF-8
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(session: Session, event: Event) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet)
        for i, row in enumerate(ROWS[sheet](session, event)):
            ws.append(row)
            if i == 0:
                for cell in ws[1]:
                    cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["CSV_TYPE", "PRELIMINARY", "SHEETS", "XLSX_TYPE", "as_csv", "as_xlsx"]
