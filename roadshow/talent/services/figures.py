"""The pool in figures, for the charts page (issue 14): people by category, industry chain,
country of residence and Chinese province of residence, native county, degree, and how many
joined each month. Counted over a search's selection (every filter of the people list), so
withdrawn and erased people are never counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.talent import divisions
from roadshow.talent.models import Industry, Person, person_industries
from roadshow.talent.services import search

#: the longest lists a chart shows (the rest is summed up as "other")
TOP = 15
MONTHS = 24


@dataclass(frozen=True)
class Figures:
    total: int
    by_category: list[tuple[str, int]]
    by_industry: list[tuple[int, int]]         # chain id, people
    by_country: list[tuple[str, int]]          # the TOP countries
    countries: list[tuple[str, int]]           # every country of residence, for the map
    by_province: list[tuple[str, int]]         # province code of residence in China
    by_native_county: list[tuple[str, int]]
    by_degree: list[tuple[str, int]]
    by_month: list[tuple[str, int]]            # "2026-03", people added


def _value(value: object) -> str:
    return str(getattr(value, "value", value) or "")


def _grouped(session: Session, column: object, where: list, limit: int | None = None
             ) -> list[tuple[object, int]]:
    statement = (select(column, func.count()).where(*where).group_by(column)
                 .order_by(func.count().desc(), column))
    if limit is not None:
        statement = statement.limit(limit)
    return [(key, count) for key, count in session.execute(statement)]


def _month(session: Session) -> object:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(Person.created_at, "YYYY-MM")
    return func.strftime("%Y-%m", Person.created_at)


def months_back(now: datetime, count: int) -> list[str]:
    """The last ``count`` months, oldest first, as "YYYY-MM"."""
    year, month = now.year, now.month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(found))


def _city_provinces() -> dict[str, str]:
    """City names as people write them (上海, 上海市, Suzhou) -> their province's code."""
    names: dict[str, str] = {}
    for province in divisions.provinces():
        for name in (province.name_zh, province.name_en):
            names.setdefault(name.lower(), province.code)
            names.setdefault(name.lower().removesuffix("市").removesuffix("省"), province.code)
        for city in divisions.children(province.code):
            for name in (city.name_zh, city.name_en):
                key = name.lower()
                names.setdefault(key, province.code)
                names.setdefault(key.removesuffix("市"), province.code)
                names.setdefault(key.removesuffix(" city"), province.code)
    return names


def province_of_city(city: str, names: dict[str, str]) -> str | None:
    text = (city or "").strip().lower()
    return names.get(text) or names.get(text.removesuffix("市")) or None


def figures(session: Session, organisation_id: int, query: search.Query,
            now: datetime | None = None) -> Figures:
    now = now or utcnow()
    where = search.conditions(session, organisation_id, query, now)
    total = session.scalar(select(func.count()).select_from(Person).where(*where)) or 0
    chain = func.coalesce(Industry.parent_id, Industry.id)
    by_industry = [(int(key), count) for key, count in session.execute(
        select(chain, func.count(func.distinct(Person.id)))
        .join(person_industries, person_industries.c.person_id == Person.id)
        .join(Industry, Industry.id == person_industries.c.industry_id)
        .where(*where).group_by(chain).order_by(func.count(func.distinct(Person.id)).desc()))]
    cities = _grouped(session, Person.residence_city,
                      [*where, Person.residence_country == "CN"])
    provinces: Counter[str] = Counter()
    names = _city_provinces()
    for city, count in cities:
        provinces[province_of_city(str(city or ""), names) or ""] += count
    months = dict(_grouped(session, _month(session), where))
    countries = [(_value(k), c) for k, c in _grouped(session, Person.residence_country,
                                                     [*where, Person.residence_country.is_not(None)])]
    return Figures(
        total=total,
        by_category=[(_value(k), c) for k, c in _grouped(session, Person.category, where)],
        by_industry=by_industry[:TOP],
        by_country=[(_value(k), c) for k, c in _grouped(
            session, Person.residence_country, where, TOP)],
        countries=countries,
        by_province=sorted(provinces.items(), key=lambda item: (-item[1], item[0])),
        by_native_county=[(_value(k), c) for k, c in _grouped(
            session, Person.native_code, [*where, Person.native_code.is_not(None)], TOP)],
        by_degree=[(_value(k), c) for k, c in _grouped(session, Person.degree, where)],
        by_month=[(month, int(months.get(month, 0))) for month in months_back(now, MONTHS)],
    )
