"""What every page a browser test visits must satisfy.

- accessibility: axe-core (served from the npm package, never a CDN) finds no serious or
  critical violation;
- language: a Chinese page shows no English interface string left from the catalogs;
- time: every visible clock time (HH:MM) names its zone, as ``roadshow.i18n.format_when`` does
  (``... 09:00 (Asia/Shanghai, GMT+08:00)``), in the same element or its table column's header;
  "09:00-19:00 local" (当地) names each reader's own zone; a duration or countdown
  (``role="timer"``, ``data-duration``, ``data-countdown``), a form's help text (``.form-text``:
  input examples such as "10:30-10:45") and chart labels (``svg``: hour buckets) are not times;
- no console error (collected by the ``Actor`` in conftest.py).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import Page

E2E_DIR = Path(__file__).parent
REPO_DIR = E2E_DIR.parent.parent
AXE_PATHS = (
    E2E_DIR / "node_modules" / "axe-core" / "axe.min.js",
    E2E_DIR / "vendor" / "axe.min.js",
)
#: the impacts that fail a page
BLOCKING_IMPACTS = ("serious", "critical")


# --- accessibility ------------------------------------------------------------------------

@cache
def axe_source() -> str:
    for path in AXE_PATHS:
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise RuntimeError(
        "axe-core is missing: run `npm ci --prefix tests/e2e` (bin/test does it when npm exists)"
    )


def axe_violations(page: Page) -> list[dict]:
    """The serious and critical axe-core violations of the page as it is now.

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy
    (script-src 'self') does not block, so the page is checked with its real headers.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => { %s\n}" % axe_source().replace("</script>", ""))  # noqa: UP031
    result = page.evaluate(
        """async () => {
            const r = await window.axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                                      summary: n.failureSummary}))
            }));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html']}")
    return "\n".join(lines)


# --- untranslated strings -----------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@cache
def english_interface_strings() -> tuple[re.Pattern[str], ...]:
    """Each English msgid whose Chinese differs (or is missing), as a full-match pattern."""
    patterns = []
    for po_path in sorted((REPO_DIR / "roadshow").glob("*/translations/*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
            # an empty translation shows the English: that is what this check is for
            if msgstr == msgid or not re.search(r"[A-Za-z]{2}", msgid):
                continue
            pieces = _PLACEHOLDER.split(msgid)
            letters = len(re.findall(r"[A-Za-z]", "".join(pieces)))
            if len(pieces) > 1 and letters < 8:
                continue  # mostly placeholders ("%(a)s and %(b)s"): too little of its own to tell
            body = ".+?".join(re.escape(" ".join(chunk.split())) for chunk in pieces)
            patterns.append(re.compile(rf"^\s*{body}\s*$", re.DOTALL))
    return tuple(patterns)


#: every visible text node and every labelling attribute, outside code and elements that say
#: they are English on purpose (``lang="en"``: the language switch, an applicant's own text)
_VISIBLE_TEXTS_JS = """() => {
    const out = [];
    const visible = el => el && el.checkVisibility && el.checkVisibility({checkOpacity: false});
    const exempt = el => el.closest('script,style,code,kbd,pre,noscript,[lang^="en"],[data-user-content]');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        const text = n.nodeValue.replace(/\\s+/g, ' ').trim();
        if (!text || exempt(el) || !visible(el)) continue;
        out.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt],input[type=submit][value]')) {
        if (exempt(el)) continue;
        for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
            if (a === 'value' && el.type !== 'submit') continue;
            const v = el.getAttribute(a);
            if (v && v.trim()) out.push(v.replace(/\\s+/g, ' ').trim());
        }
    }
    // the page title often repeats a heading in another language (an email's subject)
    const own = new Set([...document.querySelectorAll('[lang^="en"],[data-user-content]')].map(e => e.innerText.trim()));
    for (const part of document.title.split(' · ')) {
        if (!own.has(part.trim())) out.push(part.trim());
    }
    return out;
}"""


def untranslated_strings(page: Page) -> list[str]:
    """English interface strings on a page that should be all Chinese."""
    texts = page.evaluate(_VISIBLE_TEXTS_JS)
    patterns = english_interface_strings()
    found = []
    for text in texts:
        if not re.search(r"[A-Za-z]{2}", text):
            continue
        # a page title reads "<page> · <site>": check each part
        for part in text.split(" · "):
            if any(p.match(part) for p in patterns):
                found.append(part)
    return sorted(set(found))


# --- times without a zone -----------------------------------------------------------------

_NAIVE_TIMES_JS = """() => {
    const clock = /(^|[^\\d:+\\-])([01]?\\d|2[0-3]):[0-5]\\d(?![\\d:])/g;
    const zone = /(GMT|UTC)([+\\-−]\\d{1,2}(:\\d\\d)?)?/;
    const local = /\\blocal\\b|当地|本地/i;
    const problems = [];
    const visible = el => el && el.checkVisibility && el.checkVisibility({checkOpacity: false});
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('script,style,code,pre,svg,[role=timer],[data-duration],[data-countdown],.form-text') || !visible(el)) continue;
        const text = n.nodeValue;
        let m;
        clock.lastIndex = 0;
        while ((m = clock.exec(text)) !== null) {
            const start = m.index + m[1].length;
            // the zone may follow in this text or in the enclosing element (a span per part)
            // "09:00-19:00 local" / "当地 09:00": each reader's own zone, named as such
            let ok = zone.test(text.slice(start, start + 90)) || local.test(text);
            let scope = el;
            for (let i = 0; !ok && scope && i < 3; i++, scope = scope.parentElement) {
                const whole = scope.innerText || '';
                const at = whole.indexOf(m[0].slice(m[1].length));
                if (at >= 0 && zone.test(whole.slice(at, at + 120))) ok = true;
            }
            // a table column whose header names the zone
            const cell = el.closest('td,th');
            if (!ok && cell) {
                const table = cell.closest('table');
                const header = table && table.tHead && table.tHead.rows[0] && table.tHead.rows[0].cells[cell.cellIndex];
                if (header && zone.test(header.innerText)) ok = true;
                if (table && table.caption && zone.test(table.caption.innerText)) ok = true;
            }
            if (!ok) problems.push(text.trim().slice(0, 120));
        }
    }
    return problems;
}"""


def naive_times(page: Page) -> list[str]:
    """Visible clock times that do not name their zone."""
    return page.evaluate(_NAIVE_TIMES_JS)


def report(**findings: list) -> str:
    return json.dumps({k: v for k, v in findings.items() if v}, ensure_ascii=False, indent=1)
