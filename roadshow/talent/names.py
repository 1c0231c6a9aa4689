"""The forms of a person's name that search matches: pinyin of a Chinese name, Latin forms.

Pure (``pypinyin`` only). ``pinyin("张三")`` is ``"zhang san"``: lower case, no tone marks,
one syllable per character, spaces between them; characters that are not Chinese pass through
in lower case. Surnames read as surnames (单 Shan, 曾 Zeng, 解 Xie), which pypinyin's phrase
readings do not always do for a lone character.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

#: surnames whose reading as a surname differs from the character's most common reading
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
    "尉迟": "yu chi", "万俟": "mo qi", "盖": "ge", "覃": "qin", "缪": "miao", "翟": "zhai",
    "员": "yun", "乐": "yue", "长孙": "zhang sun", "召": "shao", "折": "she", "任": "ren",
    "燕": "yan", "沈": "shen", "秘": "bi", "繁": "po", "种": "chong",
}

_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def has_chinese(text: str | None) -> bool:
    return bool(text) and bool(_HAN.search(text or ""))


def pinyin(name: str | None) -> str:
    """The pinyin of ``name``, lower case with spaces between syllables ("" for no name)."""
    text = _SPACES.sub("", (name or "").strip())
    if not text:
        return ""
    head: list[str] = []
    for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
        if text.startswith(surname) and len(text) > len(surname):
            head = SURNAME_READINGS[surname].split()
            text = text[len(surname):]
            break
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [chars.lower()],
                            v_to_u=False)
    return " ".join(head + [part.strip().lower() for part in syllables if part.strip()])


def latin_forms(name_zh: str | None) -> tuple[str, ...]:
    """How a Chinese name is written in Latin script: "zhang san", "zhangsan", "san zhang"
    (given name first, as on a foreign passport), each lower case."""
    syllables = pinyin(name_zh).split()
    if not syllables:
        return ()
    surname, given = syllables[0], syllables[1:]
    forms = [" ".join(syllables), "".join(syllables)]
    if given:
        forms.append(f"{''.join(given)} {surname}")
        forms.append(f"{surname} {''.join(given)}")
    return tuple(dict.fromkeys(forms))
