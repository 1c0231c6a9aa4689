"""`bin/demo` as a newcomer runs it: its options reach `roadshow serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bin_demo_serves_on_the_port_it_is_given(tmp_path: Path) -> None:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("ROADSHOW_")}
    env["ROADSHOW_INSTANCE_PATH"] = str(tmp_path / "instance")
    log_path = tmp_path / "demo.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([str(ROOT / "bin" / "demo"), "--port", str(port)], cwd=ROOT,
                                   env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        answer = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    answer = response.status
                    break
            except OSError:
                time.sleep(0.5)
        output = log_path.read_text(errors="replace")
        assert process.poll() is None, f"bin/demo exited with {process.returncode}:\n{output[-3000:]}"
        assert answer == 200, f"nothing answered on port {port}:\n{output[-3000:]}"
        assert "[--port]" not in output
        assert f"http://127.0.0.1:{port}/" in output
        assert "organizer@example.org" in output
    finally:
        _stop(process)
    # the Janus the demo started (when the Debian package is installed) ends with it
    pid_file = tmp_path / "instance" / "janus" / "pid"
    if pid_file.exists():
        janus = int(pid_file.read_text())
        deadline = time.monotonic() + 10
        while _alive(janus) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(janus), "the demo's Janus outlived the demo"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie (its parent gone too) counts as ended
        return stat.read().split(") ")[-1][:1] != "Z"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End bin/demo and the server it exec'd, whose process group it leads."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue
