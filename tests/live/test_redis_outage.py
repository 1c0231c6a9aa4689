"""Two server processes sharing a room through a Redis that goes down and comes back: what was
said meanwhile is acknowledged and stored, and the first event after Redis returns shows the
viewer what it missed, which a fresh snapshot then holds (issue 12, item 12)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
import redis

from tests.conftest import TEST_PASSWORD, free_port
from tests.live.servers import LiveClient, Server, login_cookie, server_env
from tests.live.test_processes import world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.slow]


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs nobody else."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        try:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.dir)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except FileNotFoundError:
            pytest.skip("redis-server is not installed")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def chats(client: LiveClient) -> list[str]:
    return [e["data"]["message"]["text"] for e in client.events if e["kind"] == "chat"]


def test_a_room_split_by_a_redis_outage_is_caught_up_afterwards(world, tmp_path):  # noqa: F811
    broker = PrivateRedis(tmp_path)
    broker.start()
    servers = []
    for name in ("a", "b"):
        port = free_port()
        env = server_env(world["database_url"], world["instance"], port, broker.url)
        servers.append(Server(port, env, log_path=tmp_path / f"server-{name}.log"))
    clients: list[LiveClient] = []
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_ready()
        a, b = servers
        viewer = LiveClient(a.url, login_cookie(a.url, world["judge"], TEST_PASSWORD), world["session_id"]).connect()
        host = LiveClient(b.url, login_cookie(b.url, world["organizer"], TEST_PASSWORD), world["session_id"]).connect()
        clients += [viewer, host]
        assert viewer.call("hello")["ok"]
        assert host.call("stage", {"command": "open", "action_id": "open-1"})["ok"]
        assert viewer.wait_for(lambda c: any(e["kind"] == "stage" for e in c.events)), a.log_tail()
        seen = max(e["seq"] for e in viewer.events)

        broker.stop()
        during = host.call("chat", {"text": "said while Redis was down", "action_id": "chat-1"})
        assert during["ok"], during  # acknowledged: it is stored
        # The room's batch goes out on the next flush (a quarter second later): Redis comes back
        # only once server b has tried that publish and given up, or the broadcast might get
        # through after all and there would be nothing to catch up.
        gave_up = time.monotonic() + 20
        while "Cannot publish to redis... giving up" not in b.log_tail(20000):
            assert time.monotonic() < gave_up, b.log_tail()
            time.sleep(0.05)
        broker.start()

        def after_arrived(client: LiveClient) -> bool:
            return "after Redis came back" in chats(client)

        deadline = time.monotonic() + 60
        attempt = 0
        while time.monotonic() < deadline and not after_arrived(viewer):
            attempt += 1
            host.call("chat", {"text": "after Redis came back", "action_id": f"chat-after-{attempt}"})
            viewer.wait_for(after_arrived, timeout=3.5)  # within the chat limit of 6 per 10 s
        assert after_arrived(viewer), a.log_tail()
        assert "said while Redis was down" not in chats(viewer)  # the broadcast was lost ...
        after = next(e for e in viewer.events if e["kind"] == "chat")
        assert after["prev"]["all"] >= during["seq"] > seen  # ... and the next one shows it
        snapshot = viewer.call("hello")["snapshot"]
        texts = [m["text"] for m in snapshot["chat"]]
        assert "said while Redis was down" in texts
        assert snapshot["channels"]["all"] >= after["seq"]
    finally:
        for client in clients:
            client.close()
        for server in servers:
            server.stop()
        broker.stop()
