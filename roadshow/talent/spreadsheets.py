"""Reading a spreadsheet of people to import into the talent pool (issue 14): CSV (UTF-8, with or
without a byte-order mark, or GB18030 as Chinese Excel saves it) and Excel (.xlsx, read-only),
the first row being the header; which of our fields each column probably holds, from its
header in Chinese or English; and each row read into a person's fields, with what is wrong
with it as message keys (the views say them in the reader's language).

Pure: no Flask, no database. The native place is resolved by a function the caller passes
(the administrative divisions' names), so this module stays independent of where they live.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from roadshow.countries import country_names
from roadshow.sheet_reading import (  # noqa: F401 - the import's names for its callers
    MAX_BYTES,
    MAX_ROWS,
    SheetError,
    Table,
    cell_text,
    decode,
    read_table,
)

#: our fields a column may hold, in the order the mapping page lists them
FIELDS = (
    "name_zh", "name_en", "gender", "birth_year", "native_place", "residence_country",
    "residence_city", "employer", "position", "title", "degree", "school", "field", "category",
    "email", "phone", "languages", "recommended_by", "notes",
)

#: the longest value each text field stores (the columns of talent_people)
MAX_LENGTHS = {
    "name_zh": 100, "name_en": 200, "residence_city": 120, "employer": 200, "position": 200,
    "title": 120, "school": 200, "field": 200, "recommended_by": 200, "email": 254,
    "phone": 40, "languages": 120, "notes": 4000,
}

#: header names (folded: lower case, no blanks or punctuation) that name each field
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "name_zh": ("姓名", "中文名", "中文姓名", "名字", "namezh", "chinesename", "namechinese",
                "nameinchinese"),
    "name_en": ("英文名", "英文姓名", "拼音", "外文名", "nameen", "englishname", "nameenglish",
                "name", "fullname", "latinname", "nameinenglish", "pinyin"),
    "gender": ("性别", "gender", "sex"),
    "birth_year": ("出生年份", "出生年", "出生年月", "出生日期", "生日", "出生", "birthyear",
                   "yearofbirth", "dateofbirth", "birthdate", "born", "dob"),
    "native_place": ("籍贯", "祖籍", "家乡", "原籍", "nativeplace", "hometown", "origin",
                     "placeoforigin", "native"),
    "residence_country": ("国家", "所在国家", "居住国", "居住国家", "国家地区", "country",
                          "residencecountry", "countryofresidence"),
    "residence_city": ("城市", "所在城市", "居住城市", "常住城市", "现居地", "city",
                       "residencecity", "cityofresidence"),
    "employer": ("单位", "工作单位", "所在单位", "公司", "机构", "任职单位", "employer",
                 "company", "organisation", "organization", "institution", "affiliation"),
    "position": ("职务", "职位", "岗位", "position", "jobtitle", "role"),
    "title": ("职称", "头衔", "title", "academictitle", "professionaltitle"),
    "degree": ("学历", "学位", "最高学历", "最高学位", "degree", "highestdegree", "education"),
    "school": ("毕业院校", "学校", "院校", "毕业学校", "school", "university", "college",
               "almamater"),
    "field": ("专业", "领域", "研究方向", "专业领域", "研究领域", "field", "major",
              "researchfield", "discipline", "specialty", "speciality"),
    "category": ("类别", "人才类别", "类型", "分类", "category", "type", "group"),
    "email": ("邮箱", "电子邮件", "电子邮箱", "邮件", "email", "emailaddress", "mail"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "phone", "mobile",
              "telephone", "tel", "phonenumber", "cellphone"),
    "languages": ("语言", "外语", "languages", "language"),
    "recommended_by": ("推荐人", "推荐单位", "推荐", "recommendedby", "referrer", "referredby"),
    "notes": ("备注", "说明", "notes", "note", "remarks", "comments", "comment"),
}

GENDERS = {"男": "male", "male": "male", "m": "male", "man": "male",
           "女": "female", "female": "female", "f": "female", "woman": "female"}

DEGREES = {
    "doctorate": ("博士", "博士研究生", "博士后", "phd", "doctorate", "doctor", "dphil", "md",
                  "博士学位"),
    "master": ("硕士", "硕士研究生", "研究生", "master", "masters", "msc", "ma", "mba", "meng",
               "硕士学位"),
    "bachelor": ("本科", "学士", "大学本科", "bachelor", "bachelors", "bsc", "ba", "beng",
                 "学士学位"),
    "other": ("大专", "专科", "高中", "中专", "其他", "other"),
}

CATEGORIES = {
    "official": ("官员", "党政干部", "干部", "公务员", "党政人才", "official", "officials",
                 "government"),
    "high_level": ("高层次人才", "高层次", "高端人才", "专家", "学者", "highlevel",
                   "highleveltalent", "expert", "scientist", "researcher"),
    "business": ("企业家", "商界人士", "商人", "企业", "经营管理人才", "business",
                 "businessperson", "entrepreneur", "businesspeople"),
    "student": ("学生", "留学生", "在读学生", "student", "students"),
    "returnee": ("归国人员", "海归", "留学归国", "返乡", "returnee", "returnees", "returned"),
}

#: country names people write that CLDR names otherwise
COUNTRY_ALIASES = {
    "美国": "US", "usa": "US", "us": "US", "unitedstatesofamerica": "US", "america": "US",
    "英国": "GB", "uk": "GB", "greatbritain": "GB", "england": "GB", "britain": "GB",
    "中国": "CN", "prc": "CN", "peoplesrepublicofchina": "CN", "mainlandchina": "CN",
    "中国大陆": "CN", "韩国": "KR", "southkorea": "KR", "korea": "KR", "俄罗斯": "RU",
    "russia": "RU", "德国": "DE", "法国": "FR", "日本": "JP", "新加坡": "SG", "香港": "HK",
    "hongkong": "HK", "澳门": "MO", "macau": "MO", "macao": "MO", "台湾": "TW", "taiwan": "TW",
    "荷兰": "NL", "holland": "NL", "加拿大": "CA", "澳大利亚": "AU", "澳洲": "AU",
}

_FOLD = re.compile(r"[\s_\-–—.:：()（）/\\·*]+")
_YEAR = re.compile(r"(19|20)\d{2}")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class RowError:
    """What is wrong with one value of a row: ``field`` (ours), ``key`` (the message)."""

    field: str
    key: str
    value: str = ""


@dataclass
class ParsedRow:
    number: int  # the row's number in the file, the header being row 1
    values: dict[str, object] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def fold(text: str) -> str:
    """A header or a word folded for comparison: lower case, no blanks or punctuation."""
    return _FOLD.sub("", (text or "").strip().casefold())


# --- which column holds what --------------------------------------------------------------------

def suggest_mapping(headers: Sequence[str]) -> list[str | None]:
    """For each column, the field its header names (each field to one column at most), or
    ``None``: exact names first, then headers that contain a name ("手机号码（必填）")."""
    names = {name: fieldname for fieldname, options in HEADER_NAMES.items() for name in options}
    folded = [fold(header) for header in headers]
    mapping: list[str | None] = [None] * len(headers)
    taken: set[str] = set()
    for index, header in enumerate(folded):
        fieldname = names.get(header)
        if fieldname and fieldname not in taken:
            mapping[index] = fieldname
            taken.add(fieldname)
    for index, header in enumerate(folded):
        if mapping[index] is not None or not header:
            continue
        for name in sorted(names, key=len, reverse=True):
            fieldname = names[name]
            if len(name) >= 2 and name in header and fieldname not in taken:
                mapping[index] = fieldname
                taken.add(fieldname)
                break
    return mapping


# --- reading a row ------------------------------------------------------------------------------

def _lookup(choices: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {fold(word): value for value, words in choices.items() for word in words}


_DEGREE_WORDS = _lookup(DEGREES)
_CATEGORY_WORDS = _lookup(CATEGORIES)


def _country_words() -> dict[str, str]:
    words = {fold(code): code for code in country_names("en")}
    for locale in ("en", "zh"):
        words.update({fold(name): code for code, name in country_names(locale).items()})
    words.update({fold(alias): code for alias, code in COUNTRY_ALIASES.items()})
    return words


_COUNTRIES: dict[str, str] = {}


def country_code(text: str) -> str | None:
    """The ISO code of a country written as its code or its name in Chinese or English."""
    if not _COUNTRIES:
        _COUNTRIES.update(_country_words())
    return _COUNTRIES.get(fold(text))


def birth_year(text: str, this_year: int) -> int | None:
    """The year in "1985", "1985年3月", "1985-03-02", "3/2/1985"; ``None`` if none or implausible."""
    found = _YEAR.search(text or "")
    if not found:
        return None
    year = int(found.group(0))
    return year if 1900 <= year <= this_year else None


def parse_row(number: int, values: Sequence[str], mapping: Sequence[str | None], *,
              native_code: Callable[[str], str | None], default_category: str,
              this_year: int) -> ParsedRow:
    """One row read into a person's fields. ``native_code`` turns a native place as written
    (a code, "江苏省苏州市吴中区", "吴中区") into a division code, or ``None``; rows without a
    category get ``default_category``. Wrong values are left out and named in ``errors``."""
    row = ParsedRow(number=number)
    raw = {fieldname: (values[index] if index < len(values) else "").strip()
           for index, fieldname in enumerate(mapping) if fieldname}
    for fieldname, text in raw.items():
        if not text:
            continue
        limit = MAX_LENGTHS.get(fieldname)
        if limit is not None and len(text) > limit:
            row.errors.append(RowError(fieldname, "too_long", text[:40]))
            continue
        _read_value(row, fieldname, text, native_code, this_year)
    _names_in_their_columns(row)
    if not row.values.get("name_zh") and not row.values.get("name_en"):
        row.errors.insert(0, RowError("name_zh", "name_missing"))
    row.values.setdefault("category", default_category)
    return row


def _names_in_their_columns(row: ParsedRow) -> None:
    """A Chinese name in the Latin name's column (a header "Name" over Chinese names) moves
    to the Chinese name's, and a Latin name in the Chinese name's column the other way."""
    zh, en = row.values.get("name_zh"), row.values.get("name_en")
    if isinstance(en, str) and _HAN.search(en) and not zh:
        name = row.values.pop("name_en")
        if len(str(name)) > MAX_LENGTHS["name_zh"]:
            row.errors.append(RowError("name_zh", "too_long", str(name)[:40]))
        else:
            row.values["name_zh"] = name
    elif isinstance(zh, str) and not _HAN.search(zh) and not en:
        row.values["name_en"] = row.values.pop("name_zh")


def _read_value(row: ParsedRow, fieldname: str, text: str,
                native_code: Callable[[str], str | None], this_year: int) -> None:
    folded = fold(text)
    if fieldname == "email":
        try:
            row.values["email"] = validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError:
            row.errors.append(RowError("email", "email_invalid", text))
    elif fieldname == "birth_year":
        year = birth_year(text, this_year)
        if year is None:
            row.errors.append(RowError("birth_year", "birth_year_invalid", text))
        else:
            row.values["birth_year"] = year
    elif fieldname == "native_place":
        code = native_code(text)
        if code is None:
            row.errors.append(RowError("native_place", "native_unknown", text))
        else:
            row.values["native_code"] = code
    elif fieldname == "residence_country":
        code = country_code(text)
        if code is None:
            row.errors.append(RowError("residence_country", "country_unknown", text))
        else:
            row.values["residence_country"] = code
    elif fieldname == "gender":
        gender = GENDERS.get(folded)
        if gender is None:
            row.errors.append(RowError("gender", "gender_unknown", text))
        else:
            row.values["gender"] = gender
    elif fieldname == "degree":
        degree = _DEGREE_WORDS.get(folded) or next(
            (value for word, value in _DEGREE_WORDS.items()
             if (len(word) >= 3 or not word.isascii()) and word in folded),
            None)
        if degree is None:
            row.errors.append(RowError("degree", "degree_unknown", text))
        else:
            row.values["degree"] = degree
    elif fieldname == "category":
        category = _CATEGORY_WORDS.get(folded)
        if category is None:
            row.errors.append(RowError("category", "category_unknown", text))
        else:
            row.values["category"] = category
    else:
        row.values[fieldname] = text
