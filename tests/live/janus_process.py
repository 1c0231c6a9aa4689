"""A real Janus (the Debian package) for the tests, started by roadshow.live.janus_local on free
ports; skipped when Janus is not installed (CI installs it: bin/test)."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from roadshow.live import janus_local
from tests.conftest import skip_or_fail

ADMIN_KEY = "test-videoroom-admin-key"


@dataclass
class JanusProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def start_janus(folder: Path) -> JanusProcess:
    if janus_local.installed() is None:
        skip_or_fail("Janus is not installed (apt-get install janus)")
    url, process = janus_local.start(folder, admin_key=ADMIN_KEY)
    return JanusProcess(url, process, folder / "janus.log")


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
