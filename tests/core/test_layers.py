"""Pure domain modules import neither Flask nor SQLAlchemy, so they test and benchmark alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: the pure modules; a domain adds its own here
PURE_MODULES = [
    "roadshow/accounts/passwords.py",
    "roadshow/accounts/tokens.py",
    "roadshow/accounts/zones.py",
    "roadshow/review/scoring.py",
    "roadshow/review/assignment.py",
    "roadshow/review/figures.py",
    "roadshow/scheduling/solver.py",
    "roadshow/scheduling/invites.py",
    "roadshow/scheduling/vtimezone.py",
    "roadshow/scheduling/timeutil.py",
    "roadshow/events/phases.py",
    "roadshow/applications/files.py",
    "roadshow/applications/rendering.py",
    "roadshow/live/state.py",
    "roadshow/live/throttle.py",
    "roadshow/live/payloads.py",
    "roadshow/live/batching.py",
    "roadshow/live_gc.py",
    "roadshow/countries.py",
    "roadshow/demo/timeline.py",
    "roadshow/signing/canonical.py",
    "roadshow/signing/chain.py",
    "roadshow/signing/codes.py",
    "roadshow/signing/flow.py",
    "roadshow/signing/document.py",
    "roadshow/signing/pdf.py",
    "roadshow/signing/seal.py",
    "roadshow/jobs/kinds.py",
]
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_sqlalchemy", "sqlalchemy", "roadshow.extensions")
#: flask_babel is allowed only in passwords.py, whose messages are user-facing
ALLOWED = {"roadshow/accounts/passwords.py": {"flask_babel"}}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_no_framework(module):
    path = ROOT / module
    assert path.exists(), f"{module} is listed as pure but does not exist"
    allowed = ALLOWED.get(module, set())
    bad = {
        name for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN) and name not in allowed
    }
    assert not bad, f"{module} is a pure domain module but imports {sorted(bad)}"
