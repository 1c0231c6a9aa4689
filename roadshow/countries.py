"""Country and region names in the reader's language, in the order a reader of it expects.

Names come from CLDR through Babel. Taiwan, Hong Kong and Macao are named as a Chinese government
platform must name them (中国台湾, 中国香港, 中国澳门; "Taiwan, China", ...), so they sort beside
China. Chinese names are ordered by their pinyin (with tones, then by character), as CLDR's
Chinese collation does, through pypinyin; other languages by a case- and accent-blind key.
Pure: no Flask, no database.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from pypinyin import Style, lazy_pinyin

#: two-letter territory codes CLDR names that are not ISO 3166-1 countries or regions
#: (groupings, reserved and exceptional codes, unknown)
NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN",
                           "XA", "XB", "XK", "ZZ"})

#: the names a Chinese government platform uses for the regions of China
CHINA_REGIONS = {
    "zh": {"TW": "中国台湾", "HK": "中国香港", "MO": "中国澳门"},
    "en": {"TW": "Taiwan, China", "HK": "Hong Kong SAR, China", "MO": "Macao SAR, China"},
}


def _language(locale_code: str) -> str:
    return (locale_code or "en").replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=16)
def country_names(locale_code: str) -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> name in ``locale_code`` (English where Babel lacks it)."""
    try:
        locale = Locale.parse(locale_code or "en")
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en")
    names = {code: name for code, name in locale.territories.items()
             if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES}
    names.update(CHINA_REGIONS.get(_language(locale_code), CHINA_REGIONS["en"]))
    return names


def sort_key(name: str, locale_code: str) -> tuple:
    """The key that orders ``name`` as a reader of ``locale_code`` expects."""
    if _language(locale_code) == "zh":
        syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True,
                                errors="default")
        return (tuple(s.lower() for s in syllables), name)
    folded = unicodedata.normalize("NFKD", name.casefold())
    return ("".join(c for c in folded if not unicodedata.combining(c)), name)


@lru_cache(maxsize=16)
def sorted_countries(locale_code: str) -> tuple[tuple[str, str], ...]:
    """``(code, name)`` pairs in the reader's order."""
    names = country_names(locale_code)
    return tuple(sorted(names.items(), key=lambda item: sort_key(item[1], locale_code)))


def country_name(code: str | None, locale_code: str) -> str:
    """The name of ``code`` for the reader; an unknown code is returned as it is."""
    if not code:
        return ""
    return country_names(locale_code).get(code.upper(), code)
