"""Real server processes: two sharing rooms through Redis, and one restarted mid-pitch."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import socketio

from tests.conftest import TEST_PASSWORD, free_port
from tests.live.rooms import build_room, create_schema
from tests.live.servers import LiveClient, Server, login_cookie, server_env

pytestmark = [pytest.mark.slow]


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    create_schema(url)
    return {**build_room(url), "instance": tmp_path / "instance"}


def stage_commands(client: LiveClient) -> list[str]:
    return [e["data"]["command"] for e in client.events if e["kind"] == "stage"]


def test_viewer_on_one_process_sees_the_host_on_another_through_redis(world, redis_url, tmp_path):
    servers = []
    for name in ("a", "b"):
        port = free_port()
        env = server_env(world["database_url"], world["instance"], port, redis_url)
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
        assert host.call("stage", {"command": "next", "action_id": "next-1"})["ok"]
        assert viewer.wait_for(lambda c: stage_commands(c) == ["open", "next"]), a.log_tail()
        last = [e for e in viewer.events if e["kind"] == "stage"][-1]
        assert last["data"]["stage"]["phase"] == "pitch"
        assert viewer.call("hello")["snapshot"]["seq"] == last["seq"]
    finally:
        for client in clients:
            client.close()
        for server in servers:
            server.stop()


def call_after_restart(client: LiveClient, event: str, data: dict[str, Any] | None = None,
                       within: float = 60.0) -> Any:
    """``client.call`` retried until ``within`` seconds pass (safe: a repeated stage command or
    chat line carries its action id, and the server applies it once)."""
    deadline = time.monotonic() + within
    while True:
        try:
            return client.call(event, data, timeout=15)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
            if time.monotonic() > deadline:
                raise
            client.wait_for(lambda c: c.sio.connected, timeout=5)


def test_server_restart_mid_pitch_loses_nothing_and_clients_resume(world, tmp_path):
    port = free_port()
    server = Server(port, server_env(world["database_url"], world["instance"], port),
                    log_path=tmp_path / "server.log")
    clients: list[LiveClient] = []
    try:
        server.start()
        host = LiveClient(server.url, login_cookie(server.url, world["organizer"], TEST_PASSWORD), world["session_id"]).connect()
        viewer = LiveClient(server.url, login_cookie(server.url, world["judge"], TEST_PASSWORD), world["session_id"]).connect()
        clients += [host, viewer]
        for number, command in enumerate(("open", "next", "start")):
            assert host.call("stage", {"command": command, "action_id": f"c{number}"})["ok"]
        assert viewer.call("chat", {"text": "Great slides", "action_id": "m1"})["ok"]
        before = viewer.call("hello")["snapshot"]
        assert before["stage"]["phase"] == "pitch"
        assert before["stage"]["timer"]["running"]

        server.stop(kill=True)
        server.start()
        assert viewer.wait_for(lambda c: c.connects >= 2, timeout=30), server.log_tail()
        # a server just started answers its first calls slowly on a busy machine (imports,
        # templates), and a call sent while the client reconnects once more is lost: ask again,
        # as the room's page does on each connect, for up to a minute
        after = call_after_restart(viewer, "hello")["snapshot"]
        assert after["seq"] == before["seq"]
        assert after["stage"] == before["stage"]
        assert [m["text"] for m in after["chat"]] == ["Great slides"]
        # a retried action from before the restart is still recognised
        assert viewer.call("chat", {"text": "Great slides", "action_id": "m1"})["duplicate"]
        assert host.wait_for(lambda c: c.connects >= 2, timeout=30)
        assert call_after_restart(host, "stage", {"command": "pause", "action_id": "c9"})["ok"]
        assert viewer.wait_for(lambda c: "pause" in stage_commands(c))
    finally:
        for client in clients:
            client.close()
        server.stop()
