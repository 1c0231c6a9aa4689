"""Real ``roadshow serve`` processes on loopback, and a real Socket.IO client signed in over
HTTP, for the multi-process and restart specifications (and the benchmark)."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

from tests.conftest import REDIS_NAMESPACE

ROOT = Path(__file__).resolve().parents[2]
USER_AGENT = "roadshow-live-tests/1"


@dataclass
class Server:
    port: int
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 40.0) -> Server:
        return self.launch().wait_ready(timeout)

    def launch(self) -> Server:
        roadshow = str(Path(sys.executable).with_name("roadshow"))
        log = open(self.log_path or os.devnull, "ab")  # noqa: SIM115 - lives as long as the process
        self.process = subprocess.Popen(
            [roadshow, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, cwd=str(ROOT), stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return self

    def wait_ready(self, timeout: float = 40.0) -> Server:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server on {self.port} exited with {self.process.returncode}: "
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server on {self.port} did not answer in {timeout} s: {self.log_tail()}")

    def stop(self, kill: bool = True) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, chars: int = 3000) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-chars:]
        return ""


def server_env(database_url: str, instance: Path, port: int, redis_url: str | None = None,
               **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROADSHOW_")}
    env.update({
        "ROADSHOW_DATABASE_URL": database_url,
        "ROADSHOW_INSTANCE_PATH": str(instance),
        "ROADSHOW_SECRET_KEY": "live-multiprocess-secret",
        "ROADSHOW_BASE_URL": f"http://127.0.0.1:{port}",
        "ROADSHOW_LOGIN_RATE_LIMIT": "10000 per minute",
        "ROADSHOW_REDIS_NAMESPACE": REDIS_NAMESPACE,
    })
    if redis_url:
        env["ROADSHOW_REDIS_URL"] = redis_url
    env.update(extra)
    return env


def login_cookie(base_url: str, email: str, password: str) -> str:
    """Sign in through the login form (CSRF and all); returns the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    with opener.open(f"{base_url}/login", timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": password}
    if token:
        data["csrf_token"] = html.unescape(token.group(1))
    body = urllib.parse.urlencode(data).encode()
    with opener.open(f"{base_url}/login", data=body, timeout=10) as response:
        response.read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies:
        raise RuntimeError("sign-in failed")
    return cookies


@dataclass
class LiveClient:
    """A python-socketio client of ``/live`` that records every event it receives."""

    base_url: str
    cookie: str
    session_id: int
    events: list[dict[str, Any]] = field(default_factory=list)
    connects: int = 0

    def __post_init__(self) -> None:
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2,
                                   reconnection_delay_max=1.0)
        self.changed = threading.Condition()
        self.sio.on("events", self._on_events, namespace="/live")
        self.sio.on("connect", self._on_connect, namespace="/live")

    def _on_events(self, events: list[dict[str, Any]]) -> None:
        with self.changed:
            self.events.extend(events)
            self.changed.notify_all()

    def _on_connect(self) -> None:
        with self.changed:
            self.connects += 1
            self.changed.notify_all()

    def connect(self) -> LiveClient:
        self.sio.connect(self.base_url, namespaces=["/live"], transports=["websocket"],
                         headers={"Cookie": self.cookie, "User-Agent": USER_AGENT},
                         auth={"session_id": self.session_id}, wait_timeout=10)
        return self

    def call(self, event: str, data: dict[str, Any] | None = None, timeout: float = 10) -> Any:
        return self.sio.call(event, data or {}, namespace="/live", timeout=timeout)

    def wait_for(self, predicate: Any, timeout: float = 15.0) -> bool:
        """Wait (bounded) until ``predicate(self)`` holds; returns whether it did."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(min(left, 0.2))
        return True

    def close(self) -> None:
        self.sio.disconnect()
