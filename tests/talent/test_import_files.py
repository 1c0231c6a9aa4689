"""Reading import files (roadshow.talent.spreadsheets): encodings, Excel, column mapping, rows.
No database."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from roadshow.talent.spreadsheets import (
    SheetError,
    parse_row,
    read_table,
    suggest_mapping,
)

CSV_TEXT = "姓名,英文名,手机,邮箱,籍贯,出生年份\n张伟,Wei Zhang,13800138000,zw@example.org,吴中区,1985\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_reads_the_same(encoding: str) -> None:
    table = read_table("people.csv", CSV_TEXT.encode(encoding))
    assert table.headers == ["姓名", "英文名", "手机", "邮箱", "籍贯", "出生年份"]
    assert table.rows == [["张伟", "Wei Zhang", "13800138000", "zw@example.org", "吴中区", "1985"]]


def test_csv_with_semicolons_and_blank_lines() -> None:
    table = read_table("x.csv", b"Name;Email\n\nAnna Muller;anna@example.org\n;\n")
    assert table.headers == ["Name", "Email"]
    assert table.rows == [["Anna Muller", "anna@example.org"]]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_numbers_and_dates_read_as_a_person_wrote_them() -> None:
    data = _xlsx([["Name", "Mobile", "Date of birth"],
                  ["Li Na", 13900139000, date(1990, 5, 1)],
                  ["Chen Jie", 13700137000.0, None]])
    table = read_table("people.xlsx", data)
    assert table.headers == ["Name", "Mobile", "Date of birth"]
    assert table.rows == [["Li Na", "13900139000", "1990-05-01"], ["Chen Jie", "13700137000", ""]]


@pytest.mark.parametrize(("name", "data", "key"), [
    ("people.pdf", b"%PDF", "unsupported"),
    ("people.xlsx", b"not a zip file", "unreadable"),
    ("people.csv", "姓名\n".encode(), "empty"),
    ("people.csv", b"", "empty"),
    ("people.csv", b"\xff\xfe\x00\xd8\x00" * 3, "encoding"),
])
def test_bad_files_are_refused_with_a_reason(name: str, data: bytes, key: str) -> None:
    with pytest.raises(SheetError) as refused:
        read_table(name, data)
    assert refused.value.key == key


def test_too_many_rows_is_refused() -> None:
    data = ("name\n" + "x\n" * 20_001).encode()
    with pytest.raises(SheetError) as refused:
        read_table("big.csv", data)
    assert refused.value.key == "too_many_rows"


def test_mapping_is_suggested_from_chinese_and_english_headers() -> None:
    headers = ["姓名", "English name", "手机号码（必填）", "E-mail", "籍贯", "出生年月",
               "工作单位", "Job title", "学历", "Research field", "Country", "备注", "随便"]
    assert suggest_mapping(headers) == [
        "name_zh", "name_en", "phone", "email", "native_place", "birth_year", "employer",
        "position", "degree", "field", "residence_country", "notes", None]


def test_each_field_is_suggested_once() -> None:
    assert suggest_mapping(["电话", "手机"]) == ["phone", None]


def _native(text: str) -> str | None:
    return {"吴中区": "320506", "320506": "320506"}.get(text)


def test_a_row_is_read_into_fields() -> None:
    mapping = ["name_zh", "name_en", "gender", "birth_year", "native_place", "residence_country",
               "degree", "category", "email", "phone"]
    row = parse_row(2, ["张伟", "Wei Zhang", "男", "1985年3月", "吴中区", "美国", "博士研究生",
                        "高层次人才", "ZW@Example.org", "138 0013 8000"], mapping,
                    native_code=_native, default_category="business", this_year=2026)
    assert row.ok
    assert row.values == {
        "name_zh": "张伟", "name_en": "Wei Zhang", "gender": "male", "birth_year": 1985,
        "native_code": "320506", "residence_country": "US", "degree": "doctorate",
        "category": "high_level", "email": "ZW@example.org", "phone": "138 0013 8000"}


def test_wrong_values_are_named_and_left_out() -> None:
    mapping = ["name_en", "email", "birth_year", "native_place", "residence_country", "degree"]
    row = parse_row(7, ["Anna Muller", "anna.example.org", "next year", "Atlantis", "Narnia",
                        "wizard"], mapping, native_code=_native, default_category="student",
                    this_year=2026)
    assert [(e.field, e.key) for e in row.errors] == [
        ("email", "email_invalid"), ("birth_year", "birth_year_invalid"),
        ("native_place", "native_unknown"), ("residence_country", "country_unknown"),
        ("degree", "degree_unknown")]
    assert row.values == {"name_en": "Anna Muller", "category": "student"}


def test_a_row_without_a_name_is_an_error_and_names_find_their_columns() -> None:
    nameless = parse_row(3, ["", "x@example.org"], ["name_zh", "email"], native_code=_native,
                         default_category="student", this_year=2026)
    assert [e.key for e in nameless.errors] == ["name_missing"]
    moved = parse_row(4, ["王芳"], ["name_en"], native_code=_native, default_category="student",
                      this_year=2026)
    assert moved.values["name_zh"] == "王芳"
    assert "name_en" not in moved.values


def test_too_long_values_are_refused() -> None:
    row = parse_row(5, ["Ann", "x" * 121], ["name_en", "residence_city"], native_code=_native,
                    default_category="student", this_year=2026)
    assert [(e.field, e.key) for e in row.errors] == [("residence_city", "too_long")]
