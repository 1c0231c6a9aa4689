"""The published catalogue as an Excel workbook or a PDF, in the chosen language (issue 15).
The PDF uses signing's packaged Chinese font (GB 2312 and Latin)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF

from roadshow.demands.models import Demand, DemandKind
from roadshow.signing.pdf import PACKAGED_FONT
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


def catalogue_pdf(demands: Sequence[Demand], language: str, title: str) -> bytes:
    """The catalogue as a PDF in ``language``: the round's title, then one block per demand."""
    locale = "zh_Hans_CN" if language.startswith("zh") else "en"
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", "", str(PACKAGED_FONT))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    with force_locale(locale):
        for row in catalogue_rows(demands, language):
            district, company, kind, heading, description = (str(v) for v in row[:5])
            pdf.ln(3)
            pdf.set_font("cjk", size=12)
            pdf.multi_cell(0, 7, f"{heading}  [{kind}]", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("cjk", size=9)
            pdf.multi_cell(0, 5, " · ".join(v for v in (district, company, str(row[5])) if v),
                           new_x="LMARGIN", new_y="NEXT")
            offer = []
            if row[9] != "" and row[10] != "":
                offer.append(f"{_('Salary from (CNY/year)')}: {row[9]:,} – {row[10]:,}")
            if row[11] != "":
                offer.append(f"{_('Funding (CNY)')}: {row[11]:,}")
            if offer:
                pdf.multi_cell(0, 5, "; ".join(offer), new_x="LMARGIN", new_y="NEXT")
            if description:
                pdf.multi_cell(0, 5, description, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
