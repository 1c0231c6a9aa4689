"""Extract and update the message catalogs, one per domain package.

``roadshow i18n update`` extracts the strings of each domain (its Python files and its
``templates/<domain>/`` folder) into ``roadshow/<domain>/translations``, keeping existing
translations; ``roadshow i18n check`` lists strings that lack a Chinese translation. The
``core`` domain holds the top-level modules and the shared templates (base, errors, macros).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from roadshow.i18n import CATALOG_DOMAINS, PACKAGE_DIR, ZH

REPO_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = REPO_DIR / "templates"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.do,jinja2.ext.loopcontrols", "trimmed": "true"}
SHARED_TEMPLATE_DIRS = ("_macros", "errors", "core")


def _domain_sources(domain: str) -> Iterator[tuple[Path, str]]:
    if domain == "core":
        for path in sorted(PACKAGE_DIR.glob("*.py")):
            yield path, "python"
        template_dirs = [TEMPLATES_DIR / d for d in SHARED_TEMPLATE_DIRS]
        for path in sorted(TEMPLATES_DIR.glob("*.html")):
            yield path, "jinja2"
    else:
        for path in sorted((PACKAGE_DIR / domain).rglob("*.py")):
            yield path, "python"
        template_dirs = [TEMPLATES_DIR / domain]
    for directory in template_dirs:
        for path in sorted(directory.rglob("*")):
            if path.suffix in {".html", ".txt", ".ics", ".xml"}:
                yield path, "jinja2"


def extract(domain: str) -> Catalog:
    catalog = Catalog(project="roadshow", charset="utf-8")
    for path, method in _domain_sources(domain):
        options = JINJA_OPTIONS if method == "jinja2" else {}
        for lineno, message, comments, context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            catalog.add(message, None, [(str(path.relative_to(REPO_DIR)), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def po_path(domain: str, locale: str = ZH) -> Path:
    return PACKAGE_DIR / domain / "translations" / locale / "LC_MESSAGES" / "messages.po"


def update(domains: Iterable[str] = CATALOG_DOMAINS) -> dict[str, int]:
    """Extract, then merge into each domain's Chinese catalog. Returns untranslated counts."""
    missing: dict[str, int] = {}
    for domain in domains:
        template = extract(domain)
        path = po_path(domain)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=ZH)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            catalog = Catalog(locale=ZH, project="roadshow", charset="utf-8")
            catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=False, omit_header=False)
        missing[domain] = len(untranslated(domain))
    return missing


def untranslated(domain: str) -> list[str]:
    """Strings in the domain's sources that have no (non-fuzzy) Chinese translation."""
    path = po_path(domain)
    translated: set[object] = set()
    if path.exists():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=ZH)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if all(strings):
                translated.add((message.id, message.context))
    return [
        message.id if isinstance(message.id, str) else message.id[0]
        for message in extract(domain)
        if message.id and (message.id, message.context) not in translated
    ]


def fill(domain: str, translations: dict[str, str]) -> int:
    """Set Chinese translations (msgid -> msgstr) in a domain's catalog; returns how many."""
    path = po_path(domain)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=ZH)
    count = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in translations and message.id:
            value = translations[key]
            if isinstance(message.id, tuple):
                message.string = tuple(value if isinstance(value, str) else v for v in
                                       (value if isinstance(value, list) else [value] * len(message.id)))
            else:
                message.string = value
            message.flags.discard("fuzzy")
            count += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False)
    return count
