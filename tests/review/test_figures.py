"""Scores read to the rubric's precision in the reader's locale (issue 12, item 7): a total of
(7 - 1) / 9 of 100 is 66.7, never 66.66666666666667, on pages, in pushed messages and exports."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadshow.review.figures import NO_SCORE, TOTAL_DIGITS, format_score, round_total
from tests.many_events_fixtures import event_url
from tests.review.test_export import reviewed  # noqa: F401 - the fixture


@pytest.mark.parametrize(("locale", "shown"), [
    ("en", "86.1"), ("zh_Hans_CN", "86.1"), ("de", "86,1"), ("fr", "86,1")])
def test_a_total_is_written_as_the_readers_locale_writes_numbers(locale, shown):
    assert format_score(86.11111111111111, locale) == shown


def test_a_whole_total_keeps_its_decimal_and_no_total_reads_as_a_dash():
    assert format_score(90, "en") == "90.0"
    assert format_score(None, "en") == NO_SCORE
    assert format_score(1234.56, "en") == "1,234.6"


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_a_shown_total_has_the_rubrics_decimals_and_is_the_rounded_total(value):
    shown = format_score(value, "en")
    assert len(shown.split(".")[1]) == TOTAL_DIGITS
    assert abs(float(shown.replace(",", "")) - value) <= 0.05 + 1e-9
    assert round_total(value) == round(value, TOTAL_DIGITS)


def test_exports_carry_totals_to_the_rubrics_precision(login_as, reviewed, organizer, event):  # noqa: F811
    client, _user = login_as(organizer)
    rows = list(csv.reader(io.StringIO(
        client.get(event_url(event, "/review/export/reviews.csv")).data.decode("utf-8-sig"))))
    totals = [row[6] for row in rows[1:] if row[6]]
    assert totals == ["66.7"]
    ranking = list(csv.reader(io.StringIO(
        client.get(event_url(event, "/review/export/ranking.csv")).data.decode("utf-8-sig"))))
    assert ranking[1][9] == "66.7"
