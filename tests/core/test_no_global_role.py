"""Access no longer reads a global role (issue 13, docs/design/many-events.md §1).

``users.role`` is the account's kind now (which sign-up path, which empty dashboard) and
``users.district_id`` a remnant the migration reads: who may do what in an event comes from the
grant of the page's scope (``roadshow.access.current_grant()``, ``organisations.grants``).
Outside ``accounts/`` (which keeps the account's kind) and ``migrations/`` (which move the old
roles into memberships and event roles), no module reads ``user.role``, ``current_user.role``,
``actor.role`` or their ``district_id``. The failure lists every line still doing it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "roadshow"
EXEMPT_DIRS = ("accounts", "migrations")
GLOBAL_ROLE = re.compile(r"\b(current_user|user|actor)\.(role|district_id)\b")


def global_role_reads() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in EXEMPT_DIRS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if GLOBAL_ROLE.search(line):
                found.append(f"roadshow/{relative}:{number}: {line.strip()}")
    return found


def test_the_pattern_finds_what_it_means():
    assert GLOBAL_ROLE.search("if current_user.role == Role.JUDGE:")
    assert GLOBAL_ROLE.search("district = user.district_id")
    assert GLOBAL_ROLE.search("actor.role is Role.ORGANIZER")
    assert not GLOBAL_ROLE.search("grant.roles")
    assert not GLOBAL_ROLE.search("event_role.role")
    assert not GLOBAL_ROLE.search("user.roles_in_event")


def test_no_module_reads_a_global_role():
    reads = global_role_reads()
    assert reads == [], f"{len(reads)} reads of a global role:\n" + "\n".join(reads)
