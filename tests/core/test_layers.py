"""The code's shape: the funnel's direction and pure domain modules.

An earlier funnel stage never imports a later one, directly or through other modules, and the
base (jobs, mail, accounts, districts, events) imports no stage; the way back goes through
signals or registries the later module fills. No module imports Roadshow inside a function (that
only hides a cycle); the exceptions are ``create_app``, the composition root, which imports the
application inside itself so that ``import roadshow.<anything>`` loads no Flask, and the console
script's ``main``, which lets gevent patch the standard library before the application loads. Pure domain
modules import neither Flask, any Flask extension, nor SQLAlchemy, so they test and benchmark
alone; a fresh interpreter that imports them all must not load any of those.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "roadshow"

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
    "roadshow/events/dateshift.py",
    "roadshow/events/states.py",
    "roadshow/events/todos.py",
    "roadshow/events/kinds.py",
    "roadshow/organisations/rules.py",
    "roadshow/applications/files.py",
    "roadshow/applications/rendering.py",
    "roadshow/live/state.py",
    "roadshow/live/media.py",
    "roadshow/live/turn.py",
    "roadshow/live/throttle.py",
    "roadshow/live/payloads.py",
    "roadshow/live/batching.py",
    "roadshow/live/captions.py",
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
    "roadshow/talent/divisions.py",
    "roadshow/talent/names.py",
    "roadshow/talent/maps.py",
    "roadshow/talent/duplicates.py",
    "roadshow/talent/spreadsheets.py",
    "roadshow/spreadsheets.py",
    "roadshow/sheet_reading.py",
    "roadshow/accounts/invitation_sheet.py",
    "roadshow/reminders/due.py",
    "roadshow/outcomes/rules.py",
    "roadshow/demands/matching.py",
    "roadshow/demands/download_cache.py",
]

#: what a pure module may not load: the web framework, every Flask extension (any ``flask_*``),
#: its toolkit, the forms library, the database toolkit and our own extension instances
FRAMEWORK = ("flask", "werkzeug", "wtforms", "sqlalchemy", "alembic", "roadshow.extensions")

#: the funnel, bottom to top: a module may import modules of its own layer or an earlier one.
#: A module belongs to the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # what every domain builds on: the database, settings, extensions, languages, access,
    # the role names, the demo's shared context and facts (each domain's demo step uses them),
    # and the views' commit-or-roll-back of an action (roadshow.core.actions)
    ("infrastructure", (
        "roadshow.db", "roadshow.config", "roadshow.extensions", "roadshow.i18n",
        "roadshow.catalogs", "roadshow.countries", "roadshow.live_gc", "roadshow.access",
        "roadshow.security", "roadshow.errors", "roadshow.accounts.roles", "roadshow.core.params",
        "roadshow.core.actions", "roadshow.spreadsheets",
        "roadshow.sheet_reading", "roadshow.scoping",
        "roadshow.demo.context", "roadshow.demo.facts", "roadshow.demo.timeline",
    )),
    # the base: no funnel stage
    ("jobs", ("roadshow.jobs",)),
    ("mail", ("roadshow.mail",)),
    ("accounts", ("roadshow.accounts",)),
    # the talent offices, their members, per-event roles and alliances (issue 13)
    ("organisations", ("roadshow.organisations",)),
    ("districts", ("roadshow.districts",)),
    ("events", ("roadshow.events",)),
    # the wording organisers write for every mail, per office and event (issue 17)
    ("wording", ("roadshow.wording",)),
    # what each person is told, in the app and by mail (issue 17): every later stage registers
    # its kinds and calls notify()
    ("notifications", ("roadshow.notifications",)),
    # the talent pool, liaison stations and contact work (issue 14): no funnel stage; the
    # applications join it through a signal it listens to
    ("talent", ("roadshow.talent",)),
    # the funnel's stages, in the order a project passes them
    ("applications", ("roadshow.applications",)),
    ("review", ("roadshow.review",)),
    ("scheduling", ("roadshow.scheduling",)),
    ("live", ("roadshow.live",)),
    ("signing", ("roadshow.signing",)),
    # demand rounds, resources, matching demands with people and applications, the project
    # list and the industry-chain maps (issue 15): reads the pool and every event's applications
    ("demands", ("roadshow.demands",)),
    # from a sealed intent to a landed project: milestones, tasks across units, the board
    ("outcomes", ("roadshow.outcomes",)),
    # scheduled reminders (issue 17): read review, scheduling, signing, applications, outcomes
    ("reminders", ("roadshow.reminders",)),
    # messages to groups (issue 17): an event's finalists, judges, recruiters, applicants, or the
    # talent pool by a saved search
    ("group_messages", ("roadshow.group_messages",)),
    # figures across events and offices, read from every stage
    ("reports", ("roadshow.reports",)),
    # the shell: the demo that seeds every stage, the home pages and dashboard, the command
    # line, and the application factory
    ("demo", ("roadshow.demo",)),
    ("core", ("roadshow.core",)),
    ("shell", ("roadshow.commands", "roadshow.cli", "roadshow")),
]

#: (module, function) that import Roadshow inside themselves on purpose: ``create_app``, so that
#: importing the package loads no Flask, and the console script's ``main``, which lets gevent
#: patch the standard library before it imports the command group (and the application)
COMPOSITION_ROOTS = {("roadshow", "create_app"), ("roadshow.cli", "main")}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (or name), absolute
    line: int
    function: str | None  # the enclosing function, if the import runs only when it is called
    type_checking: bool  # inside ``if TYPE_CHECKING:``: never runs


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path) -> list[Import]:
    source = module_name(path)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, function: str | None, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inner = function or getattr(child, "name", "<lambda>")
            if isinstance(child, ast.Import):
                found.extend(Import(source, alias.name, child.lineno, function, type_checking)
                             for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    module = ".".join(base + ([child.module] if child.module else []))
                else:
                    module = child.module or ""
                # ``from package import name``: the submodule ``name`` if there is one (resolve()
                # falls back to the package for a name defined in it)
                found.extend(Import(source, f"{module}.{alias.name}", child.lineno, function,
                                    type_checking) for alias in child.names)
            if isinstance(child, ast.If) and _is_type_checking(child):
                for statement in child.body:
                    visit(ast.Module(body=[statement], type_ignores=[]), inner, True)
                for statement in child.orelse:
                    visit(ast.Module(body=[statement], type_ignores=[]), inner, type_checking)
            else:
                visit(child, inner, type_checking)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), None, False)
    return found


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))
            if "migrations" not in path.relative_to(PACKAGE).parts}


def resolve(name: str) -> str | None:
    """The Roadshow module an imported name loads (``roadshow.x.models.User`` -> its module)."""
    known = modules()
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


@cache
def runtime_edges() -> dict[str, dict[str, Import]]:
    """module -> {Roadshow module it imports when it runs: the import statement}"""
    edges: dict[str, dict[str, Import]] = {}
    for name, path in modules().items():
        edges[name] = {}
        for found in imports_of(path):
            target = resolve(found.target)
            if found.type_checking or target is None or target == name:
                continue
            edges[name].setdefault(target, found)
    return edges


def layer_of(module: str) -> int:
    best = (-1, -1)  # (length of the matching prefix, layer index)
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), index)
    assert best[1] >= 0, f"{module} belongs to no layer: add it to LAYERS"
    return best[1]


def path_to_later_layer(start: str, edges: dict[str, dict[str, Import]]) -> list[Import] | None:
    """The shortest chain of imports from ``start`` to a module of a later layer, if any."""
    own = layer_of(start)
    came_from: dict[str, Import | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for target, statement in edges.get(current, {}).items():
            if target in came_from:
                continue
            came_from[target] = statement
            if layer_of(target) > own:
                chain = []
                step: Import | None = statement
                while step is not None:
                    chain.append(step)
                    step = came_from[step.source]
                return chain[::-1]
            queue.append(target)
    return None


def describe(chain: list[Import]) -> str:
    links = []
    for link in chain:
        target = resolve(link.target) or link.target
        links.append(f"{target} ({link.source}:{link.line}, layer {LAYERS[layer_of(target)][0]})")
    return " -> ".join([chain[0].source, *links])


def test_every_module_belongs_to_a_layer():
    for module in modules():
        layer_of(module)


@pytest.mark.parametrize("module", sorted(modules()))
def test_module_imports_nothing_of_a_later_layer(module):
    chain = path_to_later_layer(module, runtime_edges())
    assert chain is None, (
        f"{module} (layer {LAYERS[layer_of(module)][0]}) reaches a later layer: {describe(chain)}; "
        "send a signal or fill a registry from the later module instead")


def test_no_roadshow_import_hides_in_a_function():
    hidden = [
        f"{found.source}:{found.line} imports {found.target} inside {found.function}()"
        for path in modules().values() for found in imports_of(path)
        if found.function and not found.type_checking and resolve(found.target)
        and (found.source, found.function) not in COMPOSITION_ROOTS
    ]
    assert not hidden, "imports hidden in functions (hoist them; fix a cycle's direction):\n" + \
        "\n".join(hidden)


def _loads_by_name(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name in {"import_module", "__import__"}


def test_only_the_shell_loads_modules_by_name():
    """A list of module names (blueprints, job kinds, demo steps) is wiring: it lives in the
    shell, else a base module could load a stage by name where this test cannot see it."""
    first_shell_layer = next(index for index, (name, _) in enumerate(LAYERS) if name == "demo")
    found = [
        f"{module}:{node.lineno}" for module, path in modules().items()
        if layer_of(module) < first_shell_layer
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if _loads_by_name(node)
    ]
    assert not found, f"modules loaded by name outside the shell: {found}"


def _swallows_import_error(node: ast.AST) -> bool:
    if not isinstance(node, ast.ExceptHandler) or node.type is None:
        return False
    caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
    return any(getattr(name, "id", None) in {"ImportError", "ModuleNotFoundError"} for name in caught)


def test_no_module_swallows_an_import_error():
    """Every domain and dependency is there: an import that fails is a bug to see, not to skip."""
    found = [f"{module}:{node.lineno}" for module, path in modules().items()
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if _swallows_import_error(node)]
    assert not found, f"ImportError caught (and a domain silently left out) at {found}"


@pytest.mark.parametrize("package", sorted(
    module_name(path) for path in PACKAGE.rglob("__init__.py") if "migrations" not in path.parts))
def test_package_init_imports_nothing_when_loaded(package):
    """Every ``import roadshow.x.y`` runs roadshow/__init__.py and roadshow/x/__init__.py first:
    they load nothing beyond the standard library (the root imports Flask inside create_app)."""
    path = modules()[package]
    loaded = [f"{found.target} (line {found.line})" for found in imports_of(path)
              if found.function is None and not found.type_checking
              and found.target.split(".")[0] not in {"__future__", *sys.stdlib_module_names}]
    assert not loaded, f"{package} loads {loaded} when imported"


def test_no_import_cycle_between_modules():
    edges = runtime_edges()
    graph = {module: {target for target, found in targets.items()
                      if (found.source, found.function) not in COMPOSITION_ROOTS}
             for module, targets in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    assert not cycles, f"modules that import each other: {cycles}"


def _forbidden(name: str) -> bool:
    top = name.split(".")[0]
    return top.startswith("flask") or any(name == f or name.startswith(f + ".") for f in FRAMEWORK)


def test_every_installed_flask_extension_is_refused_in_pure_modules():
    installed = {top for top, distributions in packages_distributions().items()
                 if any(name.lower().replace("_", "-").startswith("flask") for name in distributions)}
    assert {"flask", "flask_babel", "flask_login", "flask_socketio", "flask_wtf"} <= installed
    assert all(_forbidden(top) for top in installed), sorted(t for t in installed if not _forbidden(t))
    assert _forbidden("sqlalchemy.orm")
    assert _forbidden("werkzeug.security")
    assert not _forbidden("babel.numbers")
    assert not _forbidden("roadshow.i18n")


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_no_framework(module):
    """Directly or through any Roadshow module it imports."""
    path = ROOT / module
    assert path.exists(), f"{module} is listed as pure but does not exist"
    start = module_name(path)
    seen = {start}
    queue = deque([start])
    bad = []
    while queue:
        current = queue.popleft()
        for found in imports_of(modules()[current]):
            if found.type_checking:
                continue
            if _forbidden(found.target):
                bad.append(f"{found.target} ({current}:{found.line})")
            target = resolve(found.target)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    assert not bad, f"{module} is a pure domain module but loads {sorted(bad)}"


def test_pure_modules_load_no_framework_in_a_fresh_interpreter():
    """What the source says, checked by Python itself: third-party imports included."""
    names = [module_name(ROOT / module) for module in PURE_MODULES]
    script = (
        "import importlib, json, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True, timeout=120)
    loaded = [name for name in json.loads(result.stdout.splitlines()[-1]) if _forbidden(name)]
    assert not loaded, f"importing the pure modules loads {loaded}"


def test_the_layer_rule_catches_a_later_import_direct_or_transitive():
    """The rule itself, on a made-up graph: a base module reaching a stage through another base
    module fails, naming the chain; a stage importing the base passes."""
    def edge(source: str, target: str) -> Import:
        return Import(source, target, 1, None, False)

    graph = {
        "roadshow.events.services": {"roadshow.events.labels": edge(
            "roadshow.events.services", "roadshow.events.labels")},
        "roadshow.events.labels": {"roadshow.review.models": edge(
            "roadshow.events.labels", "roadshow.review.models")},
        "roadshow.review.services": {"roadshow.events.services": edge(
            "roadshow.review.services", "roadshow.events.services")},
        "roadshow.review.models": {},
    }
    direct = path_to_later_layer("roadshow.events.labels", graph)
    assert [link.target for link in direct] == ["roadshow.review.models"]
    transitive = path_to_later_layer("roadshow.events.services", graph)
    assert [link.target for link in transitive] == ["roadshow.events.labels", "roadshow.review.models"]
    assert path_to_later_layer("roadshow.review.services", graph) is None
    assert layer_of("roadshow.accounts.roles") < layer_of("roadshow.jobs.models") \
        < layer_of("roadshow.mail.outbox") < layer_of("roadshow.accounts.models") \
        < layer_of("roadshow.districts.models") < layer_of("roadshow.events.models") \
        < layer_of("roadshow.applications.models") < layer_of("roadshow.review.models") \
        < layer_of("roadshow.scheduling.models") < layer_of("roadshow.live.models") \
        < layer_of("roadshow.signing.models") < layer_of("roadshow.demo.commands") \
        < layer_of("roadshow.core.views") < layer_of("roadshow.cli") == layer_of("roadshow")
