"""Candidate duplicates among people coming into the pool and those already in it (issue 14).

Two records may be one person when they share an e-mail address, a phone number (compared in
E.164 form, through ``phonenumbers``), or a close name with the same native place and birth
year. Names are compared with ``rapidfuzz``: Chinese names by their characters and by their
pinyin (so 张伟 and 張偉 or 张玮 meet), Latin names by a token-sort ratio (so "Wei Zhang" and
"Zhang Wei" meet), and a Chinese name's pinyin against a Latin name.

Blocking keeps it fast: the existing people are indexed by e-mail, by phone and by native place
and birth year, so each incoming row is compared with the few people that share one of those
keys, never with the whole pool. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

#: a name at least this close (0-100) counts as the same name
NAME_THRESHOLD = 88.0

#: the region a phone number without a country code belongs to
DEFAULT_REGION = "CN"

EMAIL = "email"
PHONE = "phone"
NAME = "name"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d+")
_SEPARATORS = re.compile(r"[\s\-.()]")
_CN_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})")


@dataclass(frozen=True)
class Record:
    """What duplicate detection reads of a person or an incoming row; ``key`` names it (a
    person's id, or a row's number in the file)."""

    key: int
    name_zh: str | None = None
    name_en: str | None = None
    email: str | None = None
    phone: str | None = None
    native_code: str | None = None
    birth_year: int | None = None
    #: the stored pinyin of ``name_zh`` when known (saves computing it again)
    name_pinyin: str | None = None


@dataclass(frozen=True)
class Match:
    """``incoming`` (a row's key) may be ``existing`` (a person's key, or an earlier row's when
    ``within_file``): why, and how close the names are (0-100)."""

    incoming: int
    existing: int
    reasons: tuple[str, ...]
    name_score: float = 0.0
    within_file: bool = False


def normalise_email(value: str | None) -> str | None:
    """The address in lower case without surrounding blanks, or ``None`` if it is no address."""
    if not value:
        return None
    text = value.strip().lower()
    return text if "@" in text and len(text) >= 3 else None


def normalise_phone(value: str | None, region: str = DEFAULT_REGION) -> str | None:
    """The number in E.164 form (+8613800138000); a number ``phonenumbers`` cannot read is
    compared by its digits (at least six of them); ``None`` when there is no number."""
    if not value:
        return None
    text = str(value).strip()
    if not text:
        return None
    if region == "CN":  # most numbers are Chinese mobiles: read them without the full parser
        mobile = _CN_MOBILE.fullmatch(_SEPARATORS.sub("", text))
        if mobile:
            return "+86" + mobile.group(1)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if (parsed is not None and len(str(parsed.national_number)) >= 6
            and phonenumbers.is_possible_number(parsed)):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = "".join(_DIGITS.findall(text))
    return digits if len(digits) >= 6 else None


def has_han(text: str | None) -> bool:
    return bool(text) and bool(_HAN.search(text or ""))


def han_characters(text: str | None) -> str:
    """The Chinese characters of a name, without spaces or the middle dot (阿·买买提)."""
    return _NOT_HAN.sub("", text or "")


@lru_cache(maxsize=65536)
def pinyin_of(han: str) -> str:
    """The pinyin of Chinese characters, lower case, syllables separated by spaces, no tones."""
    return " ".join(lazy_pinyin(han)).lower()


def latin_form(text: str | None) -> str:
    """A Latin name folded for comparison: lower case, accents and punctuation dropped,
    words separated by one space ("Zhāng  Wei-Ming" -> "zhang wei ming")."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


#: the kinds of a name's forms; a form is compared only with forms of its own kind
_KINDS = ("han", "sorted", "joined")


def name_forms(record: Record) -> dict[str, tuple[str, ...]]:
    """The forms a name is compared by: its Chinese characters (``han``); its Latin words or
    pinyin syllables sorted and joined (``sorted``: "Wei Zhang" and 张伟 both give "weizhang");
    the same words joined in their order (``joined``: "Zhang Weiming" and 张伟明 both give
    "zhangweiming"). A Chinese name's pinyin is taken both syllable by syllable and as surname
    and given name ("zhang weiming"), as Latin passports write it."""
    han = han_characters(record.name_zh)
    if not han and has_han(record.name_en):
        han = han_characters(record.name_en)
    words: list[list[str]] = []
    if han:
        syllables = (latin_form(record.name_pinyin) if record.name_pinyin else "") or pinyin_of(han)
        split = syllables.split()
        words.append(split)
        if len(split) > 2:
            words.append([split[0], "".join(split[1:])])
    latin = "" if has_han(record.name_en) else latin_form(record.name_en)
    if not latin and record.name_zh and not han:
        latin = latin_form(record.name_zh)  # a Latin name typed into the Chinese name's column
    if latin:
        words.append(latin.split())
    return {
        "han": (han,) if han else (),
        "sorted": tuple(dict.fromkeys("".join(sorted(w)) for w in words if w)),
        "joined": tuple(dict.fromkeys("".join(w) for w in words if w)),
    }


def name_similarity(a: Record, b: Record) -> float:
    """How close two people's names are, 0-100: the best ratio between forms of one kind (see
    :func:`name_forms`)."""
    x, y = name_forms(a), name_forms(b)
    return float(max((fuzz.ratio(f, g) for kind in _KINDS for f in x[kind] for g in y[kind]),
                     default=0.0))


class _Block:
    """The name forms of the people sharing a native place and birth year, kind by kind, in
    lists that rapidfuzz scans in one call."""

    def __init__(self) -> None:
        self.forms: dict[str, list[str]] = {kind: [] for kind in _KINDS}
        self.keys: dict[str, list[int]] = {kind: [] for kind in _KINDS}

    def add(self, key: int, forms: dict[str, tuple[str, ...]]) -> None:
        for kind in _KINDS:
            for form in forms[kind]:
                self.forms[kind].append(form)
                self.keys[kind].append(key)

    def close(self, forms: dict[str, tuple[str, ...]], threshold: float) -> dict[int, float]:
        best: dict[int, float] = {}
        for kind in _KINDS:
            choices = self.forms[kind]
            if not choices:
                continue
            for form in forms[kind]:
                for _choice, score, index in process.extract(
                        form, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=None):
                    key = self.keys[kind][index]
                    if score > best.get(key, -1.0):
                        best[key] = float(score)
        return best


class _Index:
    """Records by e-mail, phone, and native place with birth year."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.by_email: dict[str, list[int]] = defaultdict(list)
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        self.by_origin: dict[tuple[str, int], list[Record]] = defaultdict(list)
        self.blocks: dict[tuple[str, int], _Block] = {}

    def add(self, record: Record) -> None:
        email = normalise_email(record.email)
        if email:
            self.by_email[email].append(record.key)
        phone = normalise_phone(record.phone, self.region)
        if phone:
            self.by_phone[phone].append(record.key)
        origin = _origin(record)
        if origin is not None:
            self.by_origin[origin].append(record)
            block = self.blocks.get(origin)
            if block is not None:
                block.add(record.key, name_forms(record))

    def block(self, origin: tuple[str, int]) -> _Block | None:
        """The block of ``origin``, its name forms computed the first time it is asked for."""
        block = self.blocks.get(origin)
        if block is None and origin in self.by_origin:
            block = self.blocks[origin] = _Block()
            for record in self.by_origin[origin]:
                block.add(record.key, name_forms(record))
        return block

    def candidates(self, record: Record, threshold: float) -> dict[int, tuple[list[str], float]]:
        found: dict[int, tuple[list[str], float]] = {}
        email = normalise_email(record.email)
        for key in self.by_email.get(email, ()) if email else ():
            found.setdefault(key, ([], 0.0))[0].append(EMAIL)
        phone = normalise_phone(record.phone, self.region)
        for key in self.by_phone.get(phone, ()) if phone else ():
            if PHONE not in found.setdefault(key, ([], 0.0))[0]:
                found[key][0].append(PHONE)
        origin = _origin(record)
        block = self.block(origin) if origin is not None else None
        if block is not None:
            for key, score in block.close(name_forms(record), threshold).items():
                reasons, _old = found.get(key, ([], 0.0))
                reasons.append(NAME)
                found[key] = (reasons, score)
        return found


def _origin(record: Record) -> tuple[str, int] | None:
    code = (record.native_code or "").strip()
    return (code, record.birth_year) if code and record.birth_year else None


def find_duplicates(incoming: Sequence[Record], existing: Iterable[Record], *,
                    threshold: float = NAME_THRESHOLD, region: str = DEFAULT_REGION,
                    within_file: bool = True) -> list[Match]:
    """Every candidate pair: each incoming row against the existing people and, with
    ``within_file``, against the rows before it in the same file. Ordered by row, then by the
    strength of the match (e-mail, phone, then the closest name)."""
    pool = _Index(region)
    for record in existing:
        pool.add(record)
    earlier = _Index(region)
    matches: list[Match] = []
    for record in incoming:
        found = [(key, reasons, score, False)
                 for key, (reasons, score) in pool.candidates(record, threshold).items()]
        if within_file:
            found += [(key, reasons, score, True) for key, (reasons, score)
                      in earlier.candidates(record, threshold).items() if key != record.key]
            earlier.add(record)
        found.sort(key=lambda item: (item[3], EMAIL not in item[1], PHONE not in item[1],
                                     -item[2], item[0]))
        matches += [Match(incoming=record.key, existing=key, reasons=tuple(reasons),
                          name_score=round(score, 1), within_file=inside)
                    for key, reasons, score, inside in found]
    return matches
