"""Searching the talent pool (roadshow.talent.services.search): words in Chinese, pinyin and
English through the database's full-text index, filters, withdrawn people, other offices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.talent.models import AccessLogEntry, Category, Industry, Person, Source
from roadshow.talent.services import people, search
from roadshow.talent.services.search import Query
from tests.many_events_fixtures import build_organisation


def add(organisation: Any, **fields: Any) -> Person:
    data = people.PersonData(**{"category": "high_level", **fields})
    person = people.create_person(db.session, None, organisation, data, Source.IMPORT)
    db.session.commit()
    return person


def names(page: search.Page) -> list[str]:
    return [p.name_zh or p.name_en or "" for p in page.people]


@pytest.fixture
def pool(app: Any) -> Any:
    office = build_organisation(db.session, "search-office")
    add(office, name_zh="张伟", name_en="Wei Zhang", employer="清华大学", field="人工智能",
        residence_country="US", residence_city="Boston", degree="doctorate", native_code="320506",
        birth_year=1985)
    add(office, name_zh="张伟明", employer="Siemens AG", field="Battery chemistry",
        residence_country="DE", residence_city="Munich", degree="master", category="business")
    add(office, name_zh="李娜", name_en="Na Li", employer="MIT", field="Quantum computing",
        residence_country="US", residence_city="Cambridge", native_code="320581",
        category="student")
    add(office, name_en="Anna Müller", employer="Charité", field="Oncology",
        residence_country="DE", category="returnee")
    return office


@pytest.mark.parametrize(("words", "expected"), [
    ("张伟", ["张伟", "张伟明"]),          # two characters: the start of a name
    ("伟明", ["张伟明"]),                  # ... or its end
    ("张伟明", ["张伟明"]),
    ("zhang wei", ["张伟", "张伟明"]),      # pinyin with spaces
    ("zhangwei", ["张伟", "张伟明"]),       # ... without
    ("Zhāng Wěi", ["张伟", "张伟明"]),      # ... with tone marks
    ("zhang1 wei3 ming2", ["张伟明"]),      # ... with tone numbers
    ("wei zhang", ["张伟", "张伟明"]),      # given name first
    ("Anna", ["Anna Müller"]),             # English
    ("Müller", ["Anna Müller"]),           # any case, as written
    ("quantum", ["李娜"]),                 # the field
    ("清华", ["张伟"]),                    # the employer's start
    ("人工智能", ["张伟"]),
    ("siemens battery", ["张伟明"]),        # every word must match
    ("li", ["李娜"]),
    ("nobody here", []),
])
def test_search_in_chinese_pinyin_and_english(pool: Any, words: str, expected: list[str]) -> None:
    page = search.search(db.session, pool.id, Query(q=words))
    assert sorted(names(page)) == sorted(expected)


def test_the_index_follows_edits(pool: Any) -> None:
    person = db.session.query(Person).filter_by(name_zh="李娜").one()
    people.update_person(db.session, None, person,
                         people.PersonData(**{**people.data_of(person).__dict__,
                                              "employer": "Peking University"}))
    db.session.commit()
    assert names(search.search(db.session, pool.id, Query(q="peking"))) == ["李娜"]
    assert names(search.search(db.session, pool.id, Query(q="MIT"))) == []


def test_filters_on_every_attribute(pool: Any) -> None:
    def found(**filters: str) -> list[str]:
        return sorted(names(search.search(db.session, pool.id, Query(**filters))))

    assert found(category="student") == ["李娜"]
    assert found(country="de") == ["Anna Müller", "张伟明"]
    assert found(city="boston") == ["张伟"]
    assert found(degree="master") == ["张伟明"]
    assert found(native="320000") == ["张伟", "李娜"]      # Jiangsu
    assert found(native="320500") == ["张伟", "李娜"]      # Suzhou
    assert found(native="320506") == ["张伟"]             # Wuzhong
    assert found(source="import") == ["Anna Müller", "张伟", "张伟明", "李娜"]
    assert found(source="visit") == []
    assert found(category="no-such-thing") == []
    assert found(q="zhang", country="DE") == ["张伟明"]


def test_industry_filter_includes_the_chains_fields(pool: Any) -> None:
    chain = Industry(organisation_id=pool.id, code="ai", name_zh="人工智能", name_en="AI")
    db.session.add(chain)
    db.session.flush()
    field = Industry(organisation_id=pool.id, code="ml", name_zh="机器学习", name_en="ML",
                     parent_id=chain.id)
    db.session.add(field)
    db.session.flush()
    person = db.session.query(Person).filter_by(name_zh="张伟").one()
    person.industries.append(field)
    db.session.commit()
    assert names(search.search(db.session, pool.id, Query(industry=str(chain.id)))) == ["张伟"]
    assert names(search.search(db.session, pool.id, Query(industry="999999"))) == []


def test_stale_records_are_found(pool: Any) -> None:
    person = db.session.query(Person).filter_by(name_en="Anna Müller").one()
    person.confirmed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert names(search.search(db.session, pool.id, Query(stale="1"))) == ["Anna Müller"]


def test_withdrawn_and_erased_people_are_never_found(pool: Any) -> None:
    withdrawn = db.session.query(Person).filter_by(name_zh="张伟").one()
    withdrawn.withdrawn_at = utcnow()
    erased = db.session.query(Person).filter_by(name_zh="李娜").one()
    erased.erased_at = utcnow()
    db.session.commit()
    assert names(search.search(db.session, pool.id, Query(q="zhang"))) == ["张伟明"]
    assert names(search.search(db.session, pool.id, Query())) == ["Anna Müller", "张伟明"]


def test_another_offices_people_are_not_found(pool: Any) -> None:
    other = build_organisation(db.session, "other-office")
    add(other, name_zh="张伟", employer="Other office's record")
    mine = search.search(db.session, pool.id, Query(q="张伟"))
    assert all(p.organisation_id == pool.id for p in mine.people)
    theirs = search.search(db.session, other.id, Query(q="张伟"))
    assert [p.employer for p in theirs.people] == ["Other office's record"]


def test_pages(pool: Any) -> None:
    for n in range(5):
        add(pool, name_en=f"Page Person {n}", category=Category.OFFICIAL.value)
    first = search.search(db.session, pool.id, Query(category="official"), page=1, per_page=2)
    last = search.search(db.session, pool.id, Query(category="official"), page=9, per_page=2)
    assert (first.total, first.pages, len(first.people)) == (5, 3, 2)
    assert (last.page, len(last.people)) == (3, 1)


def test_saved_searches_belong_to_their_owner(pool: Any, make_user: Any) -> None:
    owner, other = make_user("organizer"), make_user("organizer")
    saved = search.save_search(db.session, owner, pool.id, "Boston", Query(q="zhang", city="Boston"))
    db.session.commit()
    assert [s.name for s in search.saved_searches(db.session, owner, pool.id)] == ["Boston"]
    assert search.saved_searches(db.session, other, pool.id) == []
    assert search.find_saved(db.session, other, pool.id, saved.id) is None
    again = Query.from_args(search.find_saved(db.session, owner, pool.id, saved.id).query)
    assert names(search.search(db.session, pool.id, again)) == ["张伟"]


def test_access_is_logged(pool: Any, make_user: Any) -> None:
    officer = make_user("organizer")
    search.log_access(db.session, officer, pool.id, "search", search.describe(Query(q="张伟")))
    db.session.commit()
    entry = db.session.query(AccessLogEntry).one()
    assert (entry.user_id, entry.action, entry.detail) == (officer.id, "search", "q=张伟")


def test_query_terms_are_folded() -> None:
    assert search.terms("Zhāng  Wěi, lü") == ["zhang", "wei", "lv"]
    assert search.terms("zhang1wei3") == ["zhangwei"]
    assert search.terms('"%_^$') == []


def test_a_large_selection_is_counted_up_to_the_cap(pool: Any) -> None:
    page = search.search(db.session, pool.id, Query(), cap=2, per_page=1)
    assert (page.total, page.capped, page.pages) == (2, True, 2)
    whole = search.search(db.session, pool.id, Query())
    assert (whole.total, whole.capped) == (4, False)
