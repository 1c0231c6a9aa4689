"""The published catalogue as an Excel workbook, in the chosen language (issue 15)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import force_locale
from flask_babel import gettext as _

from roadshow.demands.models import Demand, DemandKind
from roadshow.spreadsheets import to_xlsx


def _pick(language: str, zh: str, en: str) -> str:
    """The text in ``language``, falling back to the other one when it is empty."""
    return (zh or en) if language.startswith("zh") else (en or zh)


def kind_label(kind: DemandKind) -> str:
    return _("Position") if kind is DemandKind.POSITION else _("Problem to solve")


def catalogue_rows(demands: Sequence[Demand], language: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for d in demands:
        industry = d.industry
        rows.append([
            _pick(language, d.district.name_zh, d.district.name_en),
            _pick(language, d.company_zh, d.company_en),
            kind_label(d.kind),
            _pick(language, d.title_zh, d.title_en),
            _pick(language, d.description_zh, d.description_en),
            _pick(language, industry.name_zh, industry.name_en) if industry else "",
            d.degree.value if d.degree else "",
            d.experience_years if d.experience_years is not None else "",
            d.headcount,
            d.salary_min_cny if d.salary_min_cny is not None else "",
            d.salary_max_cny if d.salary_max_cny is not None else "",
            d.funding_cny if d.funding_cny is not None else "",
            _("Yes") if d.housing else "",
            d.lab_space_m2 if d.lab_space_m2 is not None else "",
            d.deadline.isoformat() if d.deadline else "",
        ])
    return rows


def catalogue_xlsx(demands: Sequence[Demand], language: str, title: str) -> bytes:
    """The catalogue's workbook with its headers and cells in ``language`` (zh or en)."""
    locale = "zh_Hans_CN" if language.startswith("zh") else "en"
    with force_locale(locale):
        header = [_("District"), _("Company"), _("Kind"), _("Title"), _("Description"),
                  _("Industry"), _("Degree"), _("Years of experience"), _("Headcount"),
                  _("Salary from (CNY/year)"), _("Salary to (CNY/year)"), _("Funding (CNY)"),
                  _("Housing"), _("Lab space (m²)"), _("Apply by")]
        return to_xlsx(header, catalogue_rows(demands, language), title[:31])
