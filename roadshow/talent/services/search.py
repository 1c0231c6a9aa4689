"""Finding people in an office's pool (issue 14): words in Chinese characters, pinyin (with or
without spaces or tones) or English, through the database's own full-text index
(roadshow.talent.search_index), and filters on every attribute, paged; saved searches; each
search written to the access log.

Every query starts from ``people.in_pool``: withdrawn and erased people never appear.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.talent import divisions, search_index
from roadshow.talent.models import (
    AccessLogEntry,
    Category,
    Degree,
    Industry,
    Person,
    SavedSearch,
    Source,
    person_industries,
)
from roadshow.talent.services.people import STALE_AFTER, in_pool

PER_PAGE = 50
#: a list counts its people up to this many ("more than 1,000"): counting a whole pool of
#: 100,000 would read every row for a number no one pages through (the charts count them all)
COUNT_CAP = 1_000
MAX_TERMS = 8

_TONE_DIGITS = re.compile(r"(?<=[a-z])[1-5]")
#: what separates words in a query; quotes and LIKE's wildcards go too
_SEPARATORS = re.compile(r"[\s,，、;；:：|/\\\"'%_()（）\[\]{}^$*?!！？。.·]+")


@dataclass
class Query:
    """A search as the list's form and a saved search give it; empty fields filter nothing."""

    q: str = ""
    category: str = ""
    industry: str = ""          # an industry's id (a chain includes its fields)
    native: str = ""            # a division code: province, city or county
    country: str = ""           # ISO code of the country of residence
    city: str = ""              # city of residence, as written
    degree: str = ""
    source: str = ""
    station: str = ""           # a station's id
    stale: str = ""             # "1": not confirmed for a year

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Query:
        """From request arguments (or a saved search): unknown keys are ignored, values cut."""
        values = {}
        for item in fields(cls):
            value = args.get(item.name, "")
            values[item.name] = str(value or "").strip()[:200]
        return cls(**values)

    def as_args(self) -> dict[str, str]:
        """The non-empty fields, for links (paging, export) and saving."""
        return {key: value for key, value in asdict(self).items() if value}

    @property
    def empty(self) -> bool:
        return not self.as_args()


@dataclass(frozen=True)
class Page:
    people: list[Person]
    total: int
    page: int
    per_page: int
    #: there are more than ``total`` (= COUNT_CAP) people
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def terms(text_: str) -> list[str]:
    """The words of a query, folded as the index is: lower case, tone marks and tone digits
    gone (zhāng wěi, zhang1 wei3 -> zhang wei), ü as v (pypinyin's lv)."""
    return [forms[-1] for forms in word_forms(text_)]


def word_forms(text_: str) -> list[tuple[str, ...]]:
    """Each word of a query with the forms it may match: as written (lower case: "müller") and
    folded as pinyin ("lü" -> "lv", "zhāng" -> "zhang"), the folded one last."""
    words: list[tuple[str, ...]] = []
    for word in _SEPARATORS.split(unicodedata.normalize("NFKC", (text_ or "").lower())):
        if not word:
            continue
        pinyin = word.replace("ü", "v").replace("u:", "v")
        pinyin = "".join(c for c in unicodedata.normalize("NFKD", pinyin)
                         if not unicodedata.combining(c))
        pinyin = unicodedata.normalize("NFC", pinyin)
        if re.fullmatch(r"[a-z1-5]+", pinyin):
            pinyin = _TONE_DIGITS.sub("", pinyin)
        forms = tuple(dict.fromkeys(form for form in (word, pinyin) if form))
        if forms and forms not in words:
            words.append(forms)
    return words[:MAX_TERMS]


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def text_condition(session: Session, query_text: str) -> ColumnElement[bool] | None:
    """People whose document holds every word: a word of three characters or more anywhere
    (the trigram index), of two at the start or end of a word (``^张伟``, ``伟明$``), of one
    anywhere (a scan, as no index holds single characters)."""
    words = word_forms(query_text)
    if not words:
        return None
    if session.get_bind().dialect.name == "postgresql":
        document = search_index.document()
        conditions = []
        for forms in words:
            alternatives = []
            for word in forms:
                if len(word) == 2:
                    alternatives += [document.like(f"%^{word}%"), document.like(f"%{word}$%")]
                else:
                    alternatives.append(document.like(f"%{word}%"))
            conditions.append(or_(*alternatives))
        return and_(*conditions)
    parts = []
    short = []
    for forms in words:
        alternatives = []
        for word in forms:
            if len(word) >= 3:
                alternatives.append(_fts_phrase(word))
            elif len(word) == 2:
                alternatives += [_fts_phrase("^" + word), _fts_phrase(word + "$")]
            else:
                short.append(word)
        if alternatives:
            parts.append("(" + " OR ".join(alternatives) + ")")
    fts = search_index.FTS_TABLE
    conditions = []
    if parts:
        conditions.append(text(f"{fts} MATCH :fts_query").bindparams(fts_query=" AND ".join(parts)))
    for index, word in enumerate(short):
        name = f"fts_short_{index}"
        conditions.append(text(f"instr({fts}.document, :{name}) > 0").bindparams(**{name: word}))
    matching = select(literal_column(f"{fts}.rowid")).select_from(text(fts)).where(*conditions)
    return Person.id.in_(matching)


def _native_condition(code: str, sqlite: bool) -> ColumnElement[bool] | None:
    division = divisions.get(code)
    if division is None:
        return None
    if division.level == divisions.COUNTY:
        return Person.native_code == code
    # the codes under a province (32xxxx) or a city (3205xx), read from the list's index (+: not
    # the code's own index, which SQLite would walk for half the pool)
    prefix = code[:2] if division.level == divisions.PROVINCE else code[:4]
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    native = literal_column("+talent_people.native_code") if sqlite else Person.native_code
    return and_(native >= prefix, native < following)


def _industry_ids(session: Session, organisation_id: int, industry: str) -> list[int]:
    if not industry.isdigit():
        return []
    chosen = int(industry)
    rows = session.execute(select(Industry.id, Industry.parent_id).where(
        Industry.organisation_id == organisation_id)).all()
    ids = {chosen} & {row.id for row in rows}
    ids |= {row.id for row in rows if row.parent_id in ids}
    return sorted(ids)


def conditions(session: Session, organisation_id: int, query: Query,
               now: datetime | None = None,
               pool: ColumnElement[bool] | None = None) -> list[ColumnElement[bool]]:
    """The WHERE of a search: the office's active people (or ``pool``: the people shared with
    it, roadshow.talent.services.shares), the words, every filter given. A filter with a value
    that names nothing (an unknown category) finds no one."""
    where: list[ColumnElement[bool]] = [in_pool(organisation_id) if pool is None else pool]
    nothing = Person.id.is_(None)
    matched = text_condition(session, query.q)
    if matched is not None:
        where.append(matched)
    if query.category:
        where.append(Person.category == Category(query.category)
                     if query.category in Category._value2member_map_ else nothing)
    if query.degree:
        where.append(Person.degree == Degree(query.degree)
                     if query.degree in Degree._value2member_map_ else nothing)
    if query.source:
        where.append(Person.source == Source(query.source)
                     if query.source in Source._value2member_map_ else nothing)
    if query.industry:
        ids = _industry_ids(session, organisation_id, query.industry)
        where.append(Person.id.in_(select(person_industries.c.person_id).where(
            person_industries.c.industry_id.in_(ids))) if ids else nothing)
    if query.native:
        native = _native_condition(query.native,
                                   session.get_bind().dialect.name == "sqlite")
        where.append(native if native is not None else nothing)
    if query.country:
        where.append(Person.residence_country == query.country.upper())
    if query.city:
        where.append(func.lower(Person.residence_city) == query.city.lower())
    if query.station:
        where.append(Person.station_id == int(query.station) if query.station.isdigit()
                     else nothing)
    if query.stale == "1":
        where.append(Person.confirmed_at < (now or utcnow()) - STALE_AFTER)
    return where


def selection(session: Session, organisation_id: int, query: Query) -> Select[tuple[Person]]:
    """The people a search finds, in the list's order (by pinyin, then Latin name)."""
    return (select(Person).where(*conditions(session, organisation_id, query))
            .order_by(Person.name_pinyin, Person.name_en, Person.id))


def search(session: Session, organisation_id: int, query: Query, page: int = 1,
           per_page: int = PER_PAGE, cap: int = COUNT_CAP,
           pool: ColumnElement[bool] | None = None) -> Page:
    """A page of the office's people (or of ``pool``'s) that ``query`` finds."""
    where = conditions(session, organisation_id, query, pool=pool)
    counted = select(Person.id).where(*where).limit(cap + 1).subquery()
    total = session.scalar(select(func.count()).select_from(counted)) or 0
    capped = total > cap
    total = min(total, cap)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    people = list(session.scalars(
        select(Person).where(*where).order_by(Person.name_pinyin, Person.name_en, Person.id)
        .offset((page - 1) * per_page).limit(per_page)))
    return Page(people=people, total=total, page=page, per_page=per_page, capped=capped)


def describe(query: Query) -> str:
    """The search as the access log keeps it."""
    return "; ".join(f"{key}={value}" for key, value in query.as_args().items())[:300]


def log_access(session: Session, actor: Any, organisation_id: int, action: str,
               detail: str = "", person_id: int | None = None) -> None:
    session.add(AccessLogEntry(user_id=getattr(actor, "id", None), organisation_id=organisation_id,
                               action=action, person_id=person_id, detail=detail[:300],
                               at=utcnow()))


# --- saved searches ----------------------------------------------------------------------------

def saved_searches(session: Session, owner: Any, organisation_id: int) -> list[SavedSearch]:
    return list(session.scalars(select(SavedSearch).where(
        SavedSearch.owner_id == owner.id, SavedSearch.organisation_id == organisation_id)
        .order_by(SavedSearch.name, SavedSearch.id)))


def save_search(session: Session, owner: Any, organisation_id: int, name: str,
                query: Query) -> SavedSearch:
    saved = SavedSearch(owner_id=owner.id, organisation_id=organisation_id,
                        name=name.strip()[:200], query=query.as_args(), created_at=utcnow())
    session.add(saved)
    session.flush()
    return saved


def find_saved(session: Session, owner: Any, organisation_id: int,
               saved_id: int) -> SavedSearch | None:
    """One of ``owner``'s saved searches in this office (None for anyone else's)."""
    return session.scalars(select(SavedSearch).where(
        SavedSearch.id == saved_id, SavedSearch.owner_id == owner.id,
        SavedSearch.organisation_id == organisation_id)).first()


def delete_saved(session: Session, saved: SavedSearch) -> None:
    session.delete(saved)
    session.flush()
