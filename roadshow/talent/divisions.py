"""China's administrative divisions (province, city, county) by their official codes.

Pure: reads ``data/divisions.csv`` (see ``data/README.md`` for its source) once, on first use.
A person's native place (籍贯) is stored as one code: a county's, or a city's where the city has
no counties; the province and city derive from it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "divisions.csv"

PROVINCE = "province"
CITY = "city"
COUNTY = "county"


@dataclass(frozen=True)
class Division:
    code: str
    level: str
    parent: str | None
    name_zh: str
    name_en: str

    def name(self, chinese: bool) -> str:
        return self.name_zh if chinese else self.name_en


@dataclass(frozen=True)
class Divisions:
    by_code: dict[str, Division]
    children: dict[str | None, tuple[Division, ...]]


@cache
def _load() -> Divisions:
    by_code: dict[str, Division] = {}
    children: dict[str | None, list[Division]] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as source:
        for row in csv.DictReader(source):
            division = Division(code=row["code"], level=row["level"],
                                parent=row["parent"] or None, name_zh=row["name_zh"],
                                name_en=row["name_en"])
            by_code[division.code] = division
            children.setdefault(division.parent, []).append(division)
    return Divisions(by_code, {parent: tuple(rows) for parent, rows in children.items()})


def get(code: str | None) -> Division | None:
    """The division of ``code``, or None for an unknown or empty code."""
    if not code:
        return None
    return _load().by_code.get(code)


def provinces() -> tuple[Division, ...]:
    return _load().children.get(None, ())


def children(code: str | None) -> tuple[Division, ...]:
    """The cities of a province, the counties of a city (none for a county)."""
    if not code:
        return ()
    return _load().children.get(code, ())


def is_native_place(code: str | None) -> bool:
    """Whether ``code`` may be stored as a native place: a county, or a city without counties."""
    division = get(code)
    if division is None:
        return False
    return division.level == COUNTY or (division.level == CITY and not children(code))


def chain(code: str | None) -> tuple[Division, ...]:
    """Province, city and county of ``code``, from the top (empty for an unknown code)."""
    found: list[Division] = []
    division = get(code)
    while division is not None:
        found.append(division)
        division = get(division.parent)
    return tuple(reversed(found))


def describe(code: str | None, chinese: bool) -> str:
    """``code`` as a place name: "浙江省 宁波市 鄞州区" or "Yinzhou District, Ningbo, Zhejiang".
    Names of a municipality's "city districts" level are left out."""
    parts = [division for division in chain(code) if not _placeholder(division)]
    if chinese:
        return " ".join(division.name_zh for division in parts)
    return ", ".join(division.name_en for division in reversed(parts))


def _placeholder(division: Division) -> bool:
    return division.level == CITY and division.name_zh in (
        "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
