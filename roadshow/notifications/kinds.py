"""The kinds of notification: each domain registers its own when it loads (review registers the
judges' assignments, signing the intents waiting for a signature ...), so this layer names none.

A kind's ``message`` is a message id with ``%(name)s`` placeholders filled from the
notification's parameters; it is translated when the notification is read, so a person reads
it in the language they read in then. A parameter given as ``<name>_zh`` and ``<name>_en`` is
shown in the reader's language as ``<name>``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from roadshow.notifications.models import Channel


@dataclass(frozen=True)
class NotificationKind:
    name: str
    #: what the preferences page calls it (a lazy string)
    label: Any = field(compare=False)
    #: the line shown in the centre and the digest (a lazy string with %(param)s)
    message: Any = field(compare=False)
    #: who receives it, for the preferences page's groups: "judge", "applicant", "district",
    #: "organizer", "everyone"
    audience: str = "everyone"
    #: a step the person must take or a decision about them: always by mail and in the app
    essential: bool = False
    default: Channel = Channel.BOTH


_kinds: dict[str, NotificationKind] = {}

AUDIENCES = ("applicant", "judge", "district", "organizer", "everyone")


def register(kind: NotificationKind) -> NotificationKind:
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> NotificationKind | None:
    return _kinds.get(name)


def all_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda k: (AUDIENCES.index(k.audience), k.name))


def reader_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with each ``x_zh``/``x_en`` pair folded into ``x`` in the reader's language
    (the other language when the reader's is empty)."""
    chinese = str(get_locale() or "en").startswith("zh")
    shown = dict(params)
    for key in params:
        if key.endswith("_zh"):
            base = key[:-3]
            zh, en = params.get(base + "_zh") or "", params.get(base + "_en") or ""
            shown[base] = (zh or en) if chinese else (en or zh)
    return shown


def text_of(kind_name: str, params: Mapping[str, Any]) -> str:
    """The notification's line in the reader's language."""
    kind = get(kind_name)
    if kind is None:
        return _("A notification")
    try:
        return str(kind.message) % reader_params(params)  # translated now, then filled
    except (KeyError, ValueError, TypeError):  # a parameter the message no longer has
        return str(kind.label)
