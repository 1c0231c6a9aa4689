"""Why a record must be kept when its person asks to be erased: checks that later layers
register (the way back from a later layer is a registry it fills; talent imports none of them).

A check answers for one record: must it be kept? ``roadshow.signing.talent_pool`` registers
one at import time: a person who is a party of a sealed intent of cooperation keeps a minimal
record. Erasure (``services.erasure``) stores the first check's ``code`` in
``Person.retained_reason``; its ``label`` tells the person why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: check(session, person) -> True when the record must be kept
Check = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Retention:
    code: str
    label: Any  # a lazy translated string: why the record is kept
    check: Check


_retentions: dict[str, Retention] = {}


def register(code: str, label: Any, check: Check) -> Retention:
    """Register ``check`` under ``code`` (registering a code again replaces it)."""
    retention = Retention(code, label, check)
    _retentions[code] = retention
    return retention


def unregister(code: str) -> None:
    _retentions.pop(code, None)


def reason_to_keep(session: Any, person: Any) -> str | None:
    """The code of the first registered check that keeps ``person``'s record, or None."""
    for retention in list(_retentions.values()):
        if retention.check(session, person):
            return retention.code
    return None


def label(code: str | None) -> str:
    """Why a record is kept, in the reader's language (the code itself if no longer known)."""
    if not code:
        return ""
    retention = _retentions.get(code)
    return str(retention.label) if retention is not None else code
