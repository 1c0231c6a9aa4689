"""No module of the application holds over 600 lines (issue 18, CONTRIBUTING "Layout"): a module
that grows past it is split by the concern its sections already name."""

from pathlib import Path

import roadshow

LIMIT = 600


def test_no_module_of_roadshow_is_over_600_lines():
    root = Path(roadshow.__file__).parent
    sizes = {path.relative_to(root.parent).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in root.rglob("*.py")}
    assert len(sizes) > 100  # the walk found the package's modules, migrations included
    too_long = {name: lines for name, lines in sizes.items() if lines > LIMIT}
    assert not too_long, f"split these modules (over {LIMIT} lines): {too_long}"
