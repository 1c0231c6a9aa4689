"""A real Janus (the Debian package) for the tests: its own configuration on free ports, the
VideoRoom plugin and the HTTP transport only; skipped when Janus is not installed (CI installs
it: .ci/run and bin/test)."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port, skip_or_fail

LIBS = Path("/usr/lib/x86_64-linux-gnu/janus")
ADMIN_KEY = "test-videoroom-admin-key"


@dataclass
class JanusProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def _config(folder: Path, port: int, admin_port: int, rtp: int) -> Path:
    plugins = sorted(p.name for p in (LIBS / "plugins").glob("libjanus_*.so")
                     if p.name != "libjanus_videoroom.so")
    transports = sorted(p.name for p in (LIBS / "transports").glob("libjanus_*.so")
                        if p.name != "libjanus_http.so")
    (folder / "janus.jcfg").write_text(f"""general: {{
  configs_folder = "{folder}"
  plugins_folder = "{LIBS / 'plugins'}"
  transports_folder = "{LIBS / 'transports'}"
  events_folder = "{LIBS / 'events'}"
  loggers_folder = "{LIBS / 'loggers'}"
  debug_level = 4
  session_timeout = 60
}}
media: {{ rtp_port_range = "{rtp}-{rtp + 199}" }}
nat: {{ ignore_mdns = true }}
plugins: {{ disable = "{','.join(plugins)}" }}
transports: {{ disable = "{','.join(transports)}" }}
events: {{ broadcast = false }}
loggers: {{ disable = "libjanus_jsonlog.so" }}
""")
    (folder / "janus.transport.http.jcfg").write_text(f"""general: {{
  base_path = "/janus"
  http = true
  port = {port}
  ip = "127.0.0.1"
}}
admin: {{ admin_http = false admin_port = {admin_port} }}
cors: {{ allow_origin = "*" }}
""")
    (folder / "janus.plugin.videoroom.jcfg").write_text(
        f'general: {{ admin_key = "{ADMIN_KEY}" }}\n')
    return folder / "janus.jcfg"


def start_janus(folder: Path) -> JanusProcess:
    binary = shutil.which("janus")
    if binary is None:
        skip_or_fail("Janus is not installed (apt-get install janus)")
    port, admin_port, rtp = free_port(), free_port(), 30000 + (free_port() % 150) * 200
    config = _config(folder, port, admin_port, rtp)
    log = folder / "janus.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(binary), "-F", str(folder), "-C", str(config)],
                                   stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/janus"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Janus exited: {log.read_text()[-2000:]}")
        try:
            request({"janus": "info"}, url)
            return JanusProcess(url, process, log)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"Janus did not answer: {log.read_text()[-2000:]}")


def request(body: dict[str, Any], url: str) -> dict[str, Any]:
    body = {**body, "transaction": f"t{time.monotonic_ns()}"}
    call = urllib.request.Request(url, data=json.dumps(body).encode(),
                                  headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(call, timeout=5) as response:
        return json.loads(response.read())


def join(url: str, room: int, **fields: Any) -> dict[str, Any]:
    """Join ``room`` over the HTTP API as a browser would; the VideoRoom's answer event."""
    session = request({"janus": "create"}, url)["data"]["id"]
    handle = request({"janus": "attach", "plugin": "janus.plugin.videoroom"},
                     f"{url}/{session}")["data"]["id"]
    request({"janus": "message", "body": {"request": "join", "room": room, **fields}},
            f"{url}/{session}/{handle}")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/{session}?maxev=1", timeout=35) as response:
            event = json.loads(response.read())
        data = event.get("plugindata", {}).get("data", {})
        if data.get("videoroom") in ("joined", "event", "attached"):
            return {**data, "session": session, "handle": handle}
    raise AssertionError("no answer to the join")


@pytest.fixture(scope="session")
def janus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JanusProcess]:
    server = start_janus(tmp_path_factory.mktemp("janus"))
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
