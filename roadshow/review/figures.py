"""Scores as people read them: a review's total (and every mean, spread or deviation of
totals) to the rubric's precision, written the way the reader's locale writes numbers.

Totals are on a 0-100 scale and computed exactly (a weighted mean of fractions of each
criterion's range, e.g. 86.11111111111111); the platform shows and exports them to
``TOTAL_DIGITS`` decimals. Pure: Babel only, no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from babel.numbers import format_decimal

#: decimals a total (and a mean, spread or standard deviation of totals) is shown with
TOTAL_DIGITS = 1
#: shown for a total that does not exist (a required criterion unscored)
NO_SCORE = "—"


def round_total(value: float | None, digits: int = TOTAL_DIGITS) -> float | None:
    """A total as exports and pushed messages carry it: rounded to the rubric's precision."""
    return None if value is None else round(float(value), digits)


def format_score(value: float | None, locale: str, digits: int = TOTAL_DIGITS) -> str:
    """``86.1`` (English), ``86.1`` (Chinese), ``86,1`` (German): always ``digits`` decimals,
    the locale's decimal and grouping symbols; ``—`` for no total."""
    if value is None:
        return NO_SCORE
    pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=locale)
