"""Duplicate detection (roadshow.talent.duplicates): unit tests, no database."""

from __future__ import annotations

import random
import time

import pytest

from roadshow.talent.duplicates import (
    EMAIL,
    NAME,
    PHONE,
    Record,
    find_duplicates,
    name_similarity,
    normalise_email,
    normalise_phone,
)


@pytest.mark.parametrize("raw", ["138 0013 8000", "+86 138-0013-8000", "0086 13800138000",
                                 "(+86) 13800138000"])
def test_phone_in_any_chinese_writing_is_one_number(raw: str) -> None:
    assert normalise_phone(raw) == "+8613800138000"


def test_phone_abroad_keeps_its_country_and_junk_is_no_number() -> None:
    assert normalise_phone("+1 (415) 555-2671") == "+14155552671"
    assert normalise_phone("12345") is None
    assert normalise_phone("") is None
    assert normalise_phone(None) is None


def test_email_compared_without_case_or_blanks() -> None:
    assert normalise_email("  Wei.Zhang@Example.ORG ") == "wei.zhang@example.org"
    assert normalise_email("not an address") is None


@pytest.mark.parametrize(("a", "b"), [
    (Record(1, name_zh="张伟"), Record(2, name_zh="張偉")),           # traditional characters
    (Record(1, name_zh="张伟"), Record(2, name_en="Wei Zhang")),      # pinyin against Latin
    (Record(1, name_en="Zhang Weiming"), Record(2, name_zh="张伟明")),  # syllables joined
    (Record(1, name_en="Anna Müller"), Record(2, name_en="muller anna")),
    (Record(1, name_zh="张晓明"), Record(2, name_zh="张小明")),        # homophone
])
def test_close_names_meet(a: Record, b: Record) -> None:
    assert name_similarity(a, b) >= 88


@pytest.mark.parametrize(("a", "b"), [
    (Record(1, name_zh="张伟"), Record(2, name_zh="王芳")),
    (Record(1, name_zh="张晓明"), Record(2, name_zh="张晓东")),
    (Record(1, name_en="Li Na"), Record(2, name_en="Li Ma")),
])
def test_different_names_do_not(a: Record, b: Record) -> None:
    assert name_similarity(a, b) < 88


def test_email_phone_and_close_name_each_find_the_person() -> None:
    existing = [
        Record(10, name_zh="李娜", email="li.na@example.org"),
        Record(11, name_zh="陈杰", phone="13900139000"),
        Record(12, name_zh="赵磊", native_code="320506", birth_year=1985),
        Record(13, name_zh="赵雷", native_code="320506", birth_year=1990),  # other year
        Record(14, name_zh="周敏", native_code="320506", birth_year=1985),  # other name
    ]
    incoming = [
        Record(1, name_en="Nina Lee", email="LI.NA@example.org"),
        Record(2, name_zh="陈洁", phone="+86 139 0013 9000"),
        Record(3, name_en="Zhao Lei", native_code="320506", birth_year=1985),
        Record(4, name_zh="孙丽", email="sun@example.org", native_code="320506", birth_year=1985),
    ]
    matches = find_duplicates(incoming, existing)
    assert [(m.incoming, m.existing, m.reasons) for m in matches] == [
        (1, 10, (EMAIL,)), (2, 11, (PHONE,)), (3, 12, (NAME,))]
    assert matches[2].name_score == 100.0


def test_several_reasons_are_named_together_and_strongest_first() -> None:
    existing = [Record(20, name_zh="王强", native_code="110101", birth_year=1979),
                Record(21, name_zh="王强", email="wq@example.org", phone="13800000001",
                       native_code="110101", birth_year=1979)]
    [first, second] = find_duplicates(
        [Record(1, name_zh="王强", email="wq@example.org", phone="138 0000 0001",
                native_code="110101", birth_year=1979)], existing)
    assert (first.existing, first.reasons) == (21, (EMAIL, PHONE, NAME))
    assert (second.existing, second.reasons) == (20, (NAME,))


def test_rows_of_one_file_are_compared_with_each_other() -> None:
    rows = [Record(1, name_zh="刘洋", email="ly@example.org"),
            Record(2, name_zh="刘洋", email="ly@example.org")]
    [match] = find_duplicates(rows, [])
    assert (match.incoming, match.existing, match.within_file) == (2, 1, True)
    assert find_duplicates(rows, [], within_file=False) == []


def test_blocking_keeps_a_large_pool_fast() -> None:
    """2,000 rows against 20,000 people (bench/talent_pool.py times 10,000 against 100,000)."""
    rng = random.Random(14)
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
    counties = [f"{320500 + i:06d}" for i in range(1, 60)]

    def person(key: int) -> Record:
        return Record(key, name_zh=rng.choice(surnames) + "".join(rng.choices(given, k=rng.randint(1, 2))),
                      email=f"p{key}@example.org", phone=f"139{key:08d}",
                      native_code=rng.choice(counties), birth_year=rng.randint(1960, 2000))

    existing = [person(key) for key in range(20_000)]
    incoming = [person(key) for key in range(200_000, 202_000)]
    incoming[0] = Record(1, email="p5@example.org")
    started = time.perf_counter()
    matches = find_duplicates(incoming, existing)
    elapsed = time.perf_counter() - started
    assert any(m.incoming == 1 and m.existing == 5 for m in matches)
    assert elapsed < 5, f"{elapsed:.1f} s"
