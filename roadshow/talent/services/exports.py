"""Export of a selection of the talent pool as Excel (XLSX) or CSV (issue 14).

The rows are the search's (roadshow.talent.services.search.selection), so withdrawn and erased
people are never exported. Phone and e-mail columns are written only for a reader who may see
them (``with_contacts``); the access log names who exported what. Values a person typed are
written as text, never as formulas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from roadshow.countries import country_name
from roadshow.spreadsheets import XLSX, to_csv, to_xlsx  # noqa: F401 (exports.XLSX is read by the views)
from roadshow.talent import divisions
from roadshow.talent.models import Person
from roadshow.talent.services import search

CSV = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")

COLUMNS: list[tuple[str, Any]] = [
    ("id", _l("ID")),
    ("name_zh", _l("Name in Chinese characters")),
    ("name_en", _l("Name in Latin letters")),
    ("name_pinyin", _l("Pinyin")),
    ("gender", _l("Gender")),
    ("birth_year", _l("Year of birth")),
    ("native_place", _l("Native place")),
    ("residence_country", _l("Country of residence")),
    ("residence_city", _l("City of residence")),
    ("employer", _l("Employer")),
    ("position", _l("Position")),
    ("title", _l("Professional title")),
    ("degree", _l("Highest degree")),
    ("school", _l("School or university")),
    ("field", _l("Field")),
    ("industries", _l("Industry chains and fields")),
    ("category", _l("Category")),
    ("source", _l("How they came in")),
    ("station", _l("Liaison station")),
    ("languages", _l("Languages")),
    ("confirmed_on", _l("Confirmed current on")),
]
CONTACT_COLUMNS: list[tuple[str, Any]] = [("email", _l("Email")), ("phone", _l("Phone"))]



@dataclass(frozen=True)
class Labels:
    """How coded values read in the reader's language."""

    chinese: bool
    locale: str
    category: Callable[[Any], str]
    degree: Callable[[Any], str]
    source: Callable[[Any], str]
    gender: Callable[[Any], str]


def columns(with_contacts: bool) -> list[tuple[str, Any]]:
    return COLUMNS + (CONTACT_COLUMNS if with_contacts else [])


def rows(session: Session, organisation_id: int, query: search.Query, labels: Labels,
         with_contacts: bool) -> Iterable[list[Any]]:
    """The selection's rows, in the list's order, read in batches."""
    statement = (search.selection(session, organisation_id, query)
                 .options(selectinload(Person.industries), selectinload(Person.station))
                 .execution_options(yield_per=500))
    for person in session.scalars(statement):
        yield row(person, labels, with_contacts)


def row(person: Person, labels: Labels, with_contacts: bool) -> list[Any]:
    chinese = labels.chinese
    values: list[Any] = [
        person.id, person.name_zh or "", person.name_en or "", person.name_pinyin or "",
        labels.gender(person.gender) if person.gender else "", person.birth_year or "",
        divisions.describe(person.native_code, chinese) if person.native_code else "",
        country_name(person.residence_country, labels.locale) if person.residence_country else "",
        person.residence_city, person.employer, person.position, person.title,
        labels.degree(person.degree) if person.degree else "", person.school, person.field,
        "; ".join((i.name_zh if chinese else i.name_en) for i in person.industries),
        labels.category(person.category), labels.source(person.source),
        ((person.station.name_zh if chinese else person.station.name_en)
         if person.station is not None else ""),
        person.languages, person.confirmed_at.date().isoformat() if person.confirmed_at else "",
    ]
    if with_contacts:
        values += [person.email or "", person.phone or ""]
    return values




def export(session: Session, actor: Any, organisation: Any, query: search.Query, fmt: str,
           labels: Labels, with_contacts: bool) -> tuple[bytes, int]:
    """The file and how many people it holds; the access log names who exported it."""
    header = [str(label) for _key, label in columns(with_contacts)]
    data = list(rows(session, organisation.id, query, labels, with_contacts))
    content = to_csv(header, data) if fmt == "csv" else to_xlsx(header, data, organisation.slug)
    detail = f"{fmt}; {len(data)} people; " + (search.describe(query) or "all")
    if not with_contacts:
        detail += "; without contact details"
    search.log_access(session, actor, organisation.id, "export", detail)
    return content, len(data)
