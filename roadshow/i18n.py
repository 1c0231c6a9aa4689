"""Languages and time zones: who reads in which language and zone, and how times are shown.

Every time shown to a person names its zone. The viewer's zone comes from their profile, else
the ``tz`` cookie the browser sets, else the event's default zone. Emails render in the
recipient's language and zone through :func:`recipient_context`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.dates import format_skeleton, get_timezone_gmt
from flask import current_app, has_request_context, request, session
from flask_babel import force_locale, get_locale
from flask_login import current_user

from roadshow.config import DEFAULT_TIMEZONE, LANGUAGES

log = logging.getLogger("roadshow.i18n")

PACKAGE_DIR = Path(__file__).parent
#: the message catalogs: one per domain package (plus ``core`` for shared pages)
CATALOG_DOMAINS = (
    "core", "accounts", "districts", "mail", "events", "applications", "review",
    "scheduling", "live", "signing", "demo", "jobs", "organisations", "reports",
    "talent", "outcomes", "notifications", "demands", "wording", "group_messages", "reminders",
)
ZH = "zh_Hans_CN"

_forced_timezone: ContextVar[str | None] = ContextVar("forced_timezone", default=None)


def translation_directories() -> list[str]:
    return [str(PACKAGE_DIR / domain / "translations") for domain in CATALOG_DOMAINS]


def normalise_locale(value: str | None) -> str | None:
    """Map what browsers and users send (zh, zh-CN, zh-Hans, en-US ...) to our two locales."""
    if not value:
        return None
    value = value.replace("-", "_").lower()
    if value.startswith("zh"):
        return ZH
    if value.startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    if not has_request_context():
        # commands, background jobs: English unless a recipient_context forces a language
        return "en"
    if current_user and current_user.is_authenticated:
        return current_user.locale
    chosen = normalise_locale(session.get("locale"))
    if chosen:
        return chosen
    for value, _quality in request.accept_languages:
        chosen = normalise_locale(value)
        if chosen:
            return chosen
    return "en"


def is_valid_timezone(name: object) -> bool:
    """Whether ``name`` is an IANA zone this server knows. Looked up in the known names before
    ZoneInfo opens a file for it: the ``tz`` cookie and forms are the visitor's to write, and a
    name longer than a file name made ZoneInfo raise OSError (a 500 on every page)."""
    if not isinstance(name, str) or not name or name not in _known_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone_or_utc(name: str) -> ZoneInfo:
    """The zone ``name`` names, or UTC for a name this server does not know (a person's stored
    zone is checked when they choose it; this keeps a scheduled run going if one is not)."""
    return ZoneInfo(name) if is_valid_timezone(name) else ZoneInfo("UTC")


_ZONES: set[str] = set()


def _known_zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def common_timezones() -> list[str]:
    return sorted(z for z in _known_zones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def select_timezone_name() -> str:
    forced = _forced_timezone.get()
    if forced:
        return forced
    if has_request_context():
        if current_user and current_user.is_authenticated:
            return current_user.timezone
        # app.js writes the zone with encodeURIComponent ("Europe%2FBerlin")
        cookie = unquote(request.cookies.get("tz") or "")
        if is_valid_timezone(cookie):
            return cookie  # type: ignore[return-value]
    return DEFAULT_TIMEZONE


def select_timezone() -> str:
    return select_timezone_name()


@contextlib.contextmanager
def recipient_context(locale: str, timezone: str) -> Iterator[None]:
    """Render (an email, a document) in someone else's language and zone."""
    token = _forced_timezone.set(timezone)
    try:
        with force_locale(locale):
            yield
    finally:
        _forced_timezone.reset(token)


def current_locale_code() -> str:
    locale = get_locale()
    return str(locale) if locale else "en"


def is_chinese() -> bool:
    return current_locale_code().startswith("zh")


def localized(obj: Any, field: str) -> str:
    """``obj.<field>_zh`` or ``obj.<field>_en`` for the current language, else the other."""
    first, second = ("zh", "en") if is_chinese() else ("en", "zh")
    return getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "") or ""


def zone_label(zone: str | tzinfo, when: datetime | None = None) -> str:
    """``Asia/Shanghai, GMT+08:00``: the zone's name and its offset at that moment."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    name = zone if isinstance(zone, str) else getattr(zone, "key", str(zone))
    moment = (when or datetime.now(UTC)).astimezone(tz)
    offset = get_timezone_gmt(moment, width="long", locale=Locale.parse("en"))
    return f"{name}, {offset}"


def format_when(value: datetime | None, zone: str | None = None, skeleton: str = "yMMMEdHm") -> str:
    """A datetime in ``zone`` (default: the reader's), in the reader's language, naming the zone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("naive datetime cannot be shown; store UTC-aware datetimes")
    zone = zone or select_timezone_name()
    tz = ZoneInfo(zone)
    locale = Locale.parse(current_locale_code())
    local = value.astimezone(tz)
    text = _format_skeleton(skeleton, local, tz, locale)
    return f"{text} ({zone_label(zone, value)})"


_TIME_FIELDS = set("hHkKjJCmsSAaBbzZOvVXx")


def _format_skeleton(skeleton: str, value: datetime, tz: tzinfo, locale: Locale) -> str:
    """CLDR skeletons are either dates or times; a combined one joins both the locale's way."""
    date_part = "".join(c for c in skeleton if c not in _TIME_FIELDS)
    time_part = "".join(c for c in skeleton if c in _TIME_FIELDS)
    if not date_part or not time_part:
        return format_skeleton(skeleton, value, tzinfo=tz, locale=locale)
    day = format_skeleton(date_part, value, tzinfo=tz, locale=locale)
    clock = format_skeleton(time_part, value, tzinfo=tz, locale=locale)
    return str(locale.datetime_formats["medium"]).replace("'", "").format(clock, day)


def format_time(value: datetime | None, zone: str | None = None) -> str:
    return format_when(value, zone, skeleton="Hm")


def format_time_after(value: datetime | None, reference: datetime | None,
                      zone: str | None = None) -> str:
    """The time alone while it falls on the same local day as ``reference`` (a row under a
    dated heading), else the date with it: a row past midnight says which day it is on."""
    if value is None:
        return ""
    tz = ZoneInfo(zone or select_timezone_name())
    if reference is not None and value.astimezone(tz).date() == reference.astimezone(tz).date():
        return format_time(value, zone)
    return format_when(value, zone, skeleton="MMMEdHm")


def format_date(value: datetime | None, zone: str | None = None) -> str:
    if value is None:
        return ""
    zone = zone or select_timezone_name()
    tz = ZoneInfo(zone)
    return format_skeleton("yMMMEd", value.astimezone(tz), tzinfo=tz,
                           locale=Locale.parse(current_locale_code()))


def format_when_both(value: datetime | None, event_zone: str) -> str:
    """The reader's local time, and the event's time beside it when the zones differ."""
    if value is None:
        return ""
    mine = select_timezone_name()
    local = format_when(value, mine)
    if mine == event_zone:
        return local
    return f"{local} · {format_when(value, event_zone)}"


def init_app(app: Any) -> None:
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["when_time"] = format_time
    app.jinja_env.filters["when_time_after"] = format_time_after
    app.jinja_env.filters["when_date"] = format_date
    app.jinja_env.filters["when_both"] = format_when_both
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["current_locale_code"] = current_locale_code
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_timezone_name"] = select_timezone_name
    app.jinja_env.globals["zone_label"] = zone_label


def compile_catalogs(force: bool = False) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; returns what was compiled."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po_path in PACKAGE_DIR.glob("*/translations/*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        compiled.append(po_path)
    if compiled:
        log.info("compiled %d message catalog(s)", len(compiled))
    return compiled


def app_locales() -> list[str]:
    return list(current_app.config["LANGUAGES"])
