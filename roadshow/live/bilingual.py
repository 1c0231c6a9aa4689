"""A record's words for the live room: in the reader's language, or in both languages at once for
what the room pushes to everyone."""

from __future__ import annotations

from typing import Any

from roadshow.accounts.models import User
from roadshow.i18n import localized as in_reader_language


def localized(obj: Any, field: str) -> str:
    """The reader's language when there is a request, else English (demo, signals, CLI)."""
    try:
        return in_reader_language(obj, field)
    except RuntimeError:
        return getattr(obj, f"{field}_en", "") or getattr(obj, f"{field}_zh", "") or ""


def both(obj: Any, field: str) -> dict[str, str]:
    """``{"<field>_en", "<field>_zh"}`` of a bilingual record, each falling back on the other:
    what the room pushes reaches readers of both languages at once, and each page shows its own."""
    en = getattr(obj, f"{field}_en", "") or ""
    zh = getattr(obj, f"{field}_zh", "") or ""
    return {f"{field}_en": en or zh, f"{field}_zh": zh or en}


def names(user: User | None, key: str) -> dict[str, str]:
    """A person's name as English and Chinese readers see it (``<key>_en``, ``<key>_zh``)."""
    if user is None:
        return {f"{key}_en": "", f"{key}_zh": ""}
    return {f"{key}_en": user.name, f"{key}_zh": user.name_native or user.name}
