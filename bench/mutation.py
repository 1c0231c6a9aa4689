"""Mutation testing of the pure and security-critical modules, one module at a time (mutmut 3).

Each module is mutated in its own scratch copy of the tree (never in the shared work tree), and
its mutants run only the fast tests listed for it below, so the whole run stays well under
30 minutes on a 2-core machine. Survivors judged equivalent (no test can tell them apart from
the original) are listed with their reason in docs/mutation.md; they are left out of the score.

    .venv/bin/python bench/mutation.py [KEY ...] [--list] [--children N] [--keep]

The last line printed is one JSON object with the figures per module (see bench/_report.py).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import emit, print_table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = ROOT / ".venv" / "bin" / "mutmut"
EQUIVALENTS_DOC = ROOT / "docs" / "mutation.md"
TARGET_KILLED = 0.90


@dataclass(frozen=True)
class Module:
    key: str
    path: str
    tests: tuple[str, ...]


#: the modules under mutation and the fast tests that concern each (no browser, no server)
MODULES = (
    Module("scoring", "roadshow/review/scoring.py", ("tests/review/test_scoring.py", "tests/review/test_scoring_spec.py")),
    Module("assignment", "roadshow/review/assignment.py",
           ("tests/review/test_assignment.py", "tests/review/test_assignment_spec.py")),
    Module("solver", "roadshow/scheduling/solver.py",
           ("tests/scheduling/test_solver.py", "tests/scheduling/test_solver_spec.py")),
    Module("state", "roadshow/live/state.py",
           ("tests/live/test_state.py", "tests/live/test_stage_spec.py",
            *(f"tests/live/test_programme.py::{name}" for name in (
                "test_the_item_on_stage_stays_on_stage_when_items_are_added_before_it",
                "test_when_the_item_on_stage_leaves_the_schedule_next_calls_the_one_after_it",
                "test_when_the_first_item_on_stage_leaves_next_calls_the_new_first",
                "test_a_room_waiting_to_open_takes_the_new_schedule_as_it_is")))),
    Module("chain", "roadshow/signing/chain.py",
           ("tests/signing/test_chain.py", "tests/signing/test_trail_spec.py")),
    Module("codes", "roadshow/signing/codes.py", ("tests/signing/test_codes.py",)),
    # the snapshot's probe routes exercise every branch of the guard; the route-by-route matrix
    # (minutes per mutant) is left to the suite
    Module("access", "roadshow/access.py", ("tests/core/test_access_snapshot.py",)),
)

#: what the scratch copy needs besides the package (mutmut copies ``roadshow`` itself)
ALSO_COPY = ("templates", "mutation_hypothesis.py")
#: a pytest plugin for the scratch copy: Hypothesis derandomised (each mutant meets the same
#: examples) and without its speed health checks, which mutmut's tracing and a busy machine trip
HYPOTHESIS_PLUGIN = """from hypothesis import HealthCheck, settings

settings.register_profile("mutation", deadline=None, derandomize=True, database=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile("mutation")
"""
IGNORE = shutil.ignore_patterns("__pycache__", "node_modules", "*.pyc", ".hypothesis")
RESULT_LINE = re.compile(r"^\s*(roadshow\.[\w.]+__mutmut_\d+):\s*(\w[\w ]*)$")
EQUIVALENT_ROW = re.compile(r"^\|\s*`(roadshow\.[\w.]+__mutmut_\d+)`\s*\|")


def equivalents() -> set[str]:
    """Mutant names docs/mutation.md explains as equivalent."""
    if not EQUIVALENTS_DOC.exists():
        return set()
    return {m.group(1) for line in EQUIVALENTS_DOC.read_text("utf-8").splitlines()
            if (m := EQUIVALENT_ROW.match(line))}


def prepare(module: Module, work: Path) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(ROOT / "roadshow", work / "roadshow", ignore=IGNORE)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=IGNORE)
    shutil.copytree(ROOT / "templates", work / "templates", ignore=IGNORE)
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
    (work / "mutation_hypothesis.py").write_text(HYPOTHESIS_PLUGIN, "utf-8")
    lines = ["[mutmut]", "source_paths = roadshow", f"only_mutate = {module.path}",
             "also_copy =", *(f"    {name}" for name in ALSO_COPY),
             "pytest_add_cli_args_test_selection =", *(f"    {t}" for t in module.tests),
             "pytest_add_cli_args =", "    -p", "    no:cacheprovider", "    -p", "    mutation_hypothesis",
             "    -q"]
    (work / "setup.cfg").write_text("\n".join(lines) + "\n", "utf-8")


def run_module(module: Module, work: Path, children: int) -> dict[str, list[str]]:
    """Mutate one module; mutant names by status (killed, survived, timeout, no tests ...)."""
    prepare(module, work)
    log = work / "mutmut.log"
    with log.open("w") as out:
        subprocess.run([str(MUTMUT), "run", "--max-children", str(children)], cwd=work,
                       stdout=out, stderr=subprocess.STDOUT, check=False)
    listing = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=work,
                             capture_output=True, text=True, check=False)
    by_status: dict[str, list[str]] = {}
    for line in listing.stdout.splitlines():
        if match := RESULT_LINE.match(line):
            by_status.setdefault(match.group(2).strip(), []).append(match.group(1))
    if set(by_status) <= {"not checked"}:
        tail = log.read_text("utf-8", "replace")[-1500:]
        raise BaselineError(f"{module.path}: mutmut tested no mutant (do its tests pass "
                            f"unmutated?); {log} ends:\n{tail}")
    return by_status


class BaselineError(RuntimeError):
    """The module's tests fail (or cannot run) on the unmutated code: nothing to measure."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="*", help="module keys (default: all)")
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    parser.add_argument("--children", type=int, default=2, help="parallel mutants (default 2)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/roadshow-mutation"))
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies")
    parser.add_argument("--quick", action="store_true", help="only the first module")
    args = parser.parse_args()
    if args.list:
        for module in MODULES:
            print(f"{module.key:<11} {module.path:<32} {' '.join(module.tests)}")
        return
    unknown = set(args.keys) - {m.key for m in MODULES}
    if unknown:
        raise SystemExit(f"unknown module key(s): {', '.join(sorted(unknown))}")
    chosen = [m for m in MODULES if not args.keys or m.key in args.keys]
    if args.quick:
        chosen = chosen[:1]
    known_equivalent = equivalents()
    rows, figures = [], {}
    for module in chosen:
        started = time.monotonic()
        work = args.workdir / module.key
        try:
            by_status = run_module(module, work, args.children)
        except BaselineError as error:
            print(error)
            rows.append({"module": module.path, "mutants": "-", "killed": "-", "survived": "-",
                         "equivalent": "-", "other": "-", "killed %": "tests fail",
                         "seconds": round(time.monotonic() - started)})
            figures[module.key] = {"killed": 0, "survived": 0, "equivalent": 0,
                                   "killed_ratio": 0.0, "baseline": "tests fail",
                                   "seconds": round(time.monotonic() - started)}
            continue
        seconds = round(time.monotonic() - started)
        survived = by_status.get("survived", []) + by_status.get("no tests", [])
        equivalent = [name for name in survived if name in known_equivalent]
        alive = [name for name in survived if name not in known_equivalent]
        killed = len(by_status.get("killed", [])) + len(by_status.get("timeout", []))
        judged = killed + len(alive)
        score = killed / judged if judged else 1.0
        rows.append({"module": module.path, "mutants": sum(map(len, by_status.values())),
                     "killed": killed, "survived": len(alive), "equivalent": len(equivalent),
                     "other": sum(len(v) for k, v in by_status.items()
                                  if k not in {"killed", "timeout", "survived", "no tests"}),
                     "killed %": f"{score:.1%}", "seconds": seconds})
        figures[module.key] = {"killed": killed, "survived": len(alive),
                               "equivalent": len(equivalent), "killed_ratio": round(score, 4),
                               "seconds": seconds}
        for name in alive:
            print(f"  survived: {name}   (see: cd {work} && {MUTMUT} show {name})")
        if not args.keep and not alive:
            shutil.rmtree(work, ignore_errors=True)
    print_table("Mutation testing (mutmut): non-equivalent mutants killed per module", rows)
    total_killed = sum(f["killed"] for f in figures.values())
    total_judged = total_killed + sum(f["survived"] for f in figures.values())
    figures["overall_killed_ratio"] = round(total_killed / total_judged, 4) if total_judged else 1.0
    figures["minimum_module_killed_ratio"] = min(
        (f["killed_ratio"] for f in figures.values() if isinstance(f, dict)), default=1.0)
    figures["total_seconds"] = sum(f["seconds"] for f in figures.values() if isinstance(f, dict))
    emit("mutation", figures, {"minimum_module_killed_ratio": {"min": TARGET_KILLED},
                               "total_seconds": {"max": 1800}})


if __name__ == "__main__":
    main()
