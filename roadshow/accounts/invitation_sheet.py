"""Reading a file of people to invite to an event in bulk (judges, district recruiters, the
event's organizers): which column holds what from its header in Chinese or English, each row
read into an invitation with what is wrong with it as message keys (the views say them in the
reader's language), and the duplicates (twice in the file, already holding a role in the event,
already invited).

Pure: no Flask, no database; the caller passes the districts and the addresses already taken.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

#: our fields, in the order of the template file
FIELDS = ("email", "name", "role", "district", "language")
#: the most rows one bulk invitation takes (the confirmation page carries them all)
MAX_INVITATIONS = 1000

_FOLD = re.compile(r"[\s_\-–—.:：()（）/\\·*]+")

HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "mail", "emailaddress", "邮箱", "电子邮箱", "电子邮件", "邮件地址"),
    "name": ("name", "fullname", "姓名", "名字"),
    "role": ("role", "角色", "身份"),
    "district": ("district", "区县", "板块", "区", "县区", "地区"),
    "language": ("language", "lang", "locale", "语言"),
}
ROLES: dict[str, tuple[str, ...]] = {
    "judge": ("judge", "评委", "评审", "评审专家"),
    "recruiter": ("recruiter", "districtrecruiter", "板块招才专员", "招才专员", "招商专员",
                  "区县招商专员", "区县招商员", "招商员"),
    "organizer": ("organizer", "organiser", "eventorganizer", "主办方", "组织者", "活动组织者"),
}
LANGUAGES: dict[str, tuple[str, ...]] = {
    "zh_Hans_CN": ("zh", "zhhanscn", "zhcn", "chinese", "中文", "汉语", "简体中文"),
    "en": ("en", "english", "英文", "英语"),
}
#: roles that work for one district, named in the row
DISTRICT_ROLES = frozenset({"recruiter"})


def fold(text: str) -> str:
    """A header or a word folded for comparison: lower case, no blanks or punctuation."""
    return _FOLD.sub("", (text or "").strip().casefold())


def _lookup(words: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {fold(word): value for value, aliases in words.items() for word in aliases}


_HEADER_WORDS = _lookup(HEADERS)
_ROLE_WORDS = _lookup(ROLES)
_LANGUAGE_WORDS = _lookup(LANGUAGES)


@dataclass
class InvitationRow:
    number: int  # the row's number in the file, the header being row 1
    email: str = ""
    name: str = ""
    role: str = ""
    district_id: int | None = None
    district: str = ""
    locale: str = ""
    errors: list[str] = field(default_factory=list)  # message keys

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_params(self) -> list[object]:
        return [self.email, self.name, self.role, self.district_id, self.locale]


def columns(headers: Sequence[str]) -> dict[str, int]:
    """Our field -> the index of the column holding it (the first one whose header names it)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        fieldname = _HEADER_WORDS.get(fold(header))
        if fieldname is not None and fieldname not in found:
            found[fieldname] = index
    return found


def missing_columns(found: Mapping[str, int]) -> list[str]:
    return [name for name in ("email", "name", "role") if name not in found]


def read_rows(headers: Sequence[str], rows: Sequence[Sequence[str]], *,
              districts: Mapping[str, int], members: set[str], invited: set[str],
              default_locale: str = "zh_Hans_CN") -> list[InvitationRow]:
    """Each data row read into an invitation. ``districts`` maps a district's folded names to
    its id; ``members`` and ``invited`` are the lower-case addresses already holding a role in
    the event and those with an open invitation to it."""
    where = columns(headers)
    seen: dict[str, int] = {}
    result = []
    for offset, values in enumerate(rows):
        def value(name: str, values: Sequence[str] = values) -> str:
            index = where.get(name)
            return values[index].strip() if index is not None and index < len(values) else ""

        row = InvitationRow(number=offset + 2, name=value("name"), district=value("district"))
        _read_email(row, value("email"), seen, members, invited)
        if not row.name:
            row.errors.append("name_missing")
        role_text = value("role")
        row.role = _ROLE_WORDS.get(fold(role_text), "")
        if not row.role:
            row.errors.append("role_missing" if not role_text else "role_unknown")
        if row.role in DISTRICT_ROLES:
            if not row.district:
                row.errors.append("district_missing")
            else:
                row.district_id = districts.get(fold(row.district))
                if row.district_id is None:
                    row.errors.append("district_unknown")
        language = value("language")
        row.locale = _LANGUAGE_WORDS.get(fold(language), "") if language else default_locale
        if not row.locale:
            row.errors.append("language_unknown")
        result.append(row)
    return result


def _read_email(row: InvitationRow, text: str, seen: dict[str, int], members: set[str],
                invited: set[str]) -> None:
    if not text:
        row.errors.append("email_missing")
        return
    try:
        row.email = validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        row.email = text
        row.errors.append("email_bad")
        return
    if row.email in seen:
        row.errors.append("duplicate_in_file")
    else:
        seen[row.email] = row.number
    if row.email in members:
        row.errors.append("already_member")
    elif row.email in invited:
        row.errors.append("already_invited")
