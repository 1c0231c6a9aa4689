"""Live-room fan-out: N viewers as real Socket.IO websocket clients in one room of one server.

For N in (500, 1000, 2000) viewers (``--quick``: 200 for a few seconds) the benchmark

1. calibrates the load generator against a raw ``websockets`` broadcast server sending the same
   message rate, so we know the generator is not the bottleneck;
2. runs the scenario against one ``roadshow serve`` process (gevent): the host changes the stage
   every few seconds, and a few senders keep a chat / question / vote mix of a few events per
   second; every viewer records each broadcast's delivery latency (from the moment the server
   sent it to the moment the client parsed it) and which sequence numbers it received;
3. runs the same scenario against a bare Flask-SocketIO server in gevent mode that broadcasts the
   same payloads with no database and no checks, and prints our delivered-message rate against
   its rate.

It reports latency median and p99, delivered versus expected messages, server CPU and memory
per connection (psutil), and the ratio. Viewers speak Engine.IO 4 / Socket.IO 5 themselves.

With at least two CPUs the measurement is pinned (``--pin``, the default; ``--no-pin`` to turn it
off): every server under test (raw, Roadshow, bare) runs on one CPU of its own and the load
generator (the driver and the viewer processes) on the others, so the servers are compared on
one core each, as in the issue's reference figure, and the generator never takes the server's
CPU. The affinity is printed in the table headers. With one CPU the generator's own p99 (the
calibration row) is the floor under every server's p99: read the servers' p99 against it.

The viewers are picows websocket clients on uvloop (frames parsed in Cython, no task per
message), split across worker processes; the calibration row is what they measure against a
server that does nothing but broadcast, so it is the floor under every other row. picows does
not offer permessage-deflate, so no server compresses here; Roadshow's live websockets decline
it from browsers too (``roadshow.live.namespace.without_compression``), so its row is what a
browser gets.

    .venv/bin/python bench/live_fanout.py [--quick] [--sizes 500,1000] [--seconds 60] [--no-pin]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import uvloop
from picows import WSListener, WSMsgType, ws_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import emit, print_table  # noqa: E402

USER_AGENT = "roadshow-fanout/1"
NS = "/live"
SECRET = "bench-live-fanout-secret"  # noqa: S105 - a throwaway key for the bench's own servers
HIST_MS = 10_000  # latency histogram: one bucket per millisecond up to 10 s
logging.getLogger("picows").setLevel(logging.WARNING)  # not a line per connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the servers under test ------------------------------------------------------------------

def bare_server(port: int) -> None:
    """A bare Flask-SocketIO gevent server: anyone joins one room; actions are broadcast as is."""
    from gevent import monkey

    monkey.patch_all()
    from flask import Flask
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    io = SocketIO(app, async_mode="gevent", cors_allowed_origins="*")
    state = {"seq": 0}

    @io.on("connect", namespace=NS)
    def connect(auth: Any = None) -> bool:
        join_room("room")
        return True

    @io.on("hello", namespace=NS)
    def hello(data: Any = None) -> dict[str, Any]:
        return {"ok": True, "snapshot": {"seq": state["seq"]}}

    def broadcast(kind: str, data: Any) -> dict[str, Any]:
        state["seq"] += 1
        payload = {"seq": state["seq"], "kind": kind, "data": data,
                   "at": datetime.now(UTC).isoformat(), "sent": time.time()}
        io.emit("events", [payload], to="room", namespace=NS)
        return {"ok": True, "seq": state["seq"]}

    for name in ("stage", "chat", "vote", "moderate", "ask"):
        io.on_event(name, lambda data, _n=name: broadcast(_n, data), namespace=NS)
    io.run(app, host="127.0.0.1", port=port, log_output=False)


def raw_server(port: int) -> None:
    """A raw ``websockets`` broadcast server for calibration: it speaks just enough Engine.IO
    for the viewers, and broadcasts when the driver connection asks it to."""
    import websockets

    clients: set[Any] = set()
    counter = {"seq": 0}

    async def handler(ws: Any) -> None:
        await ws.send('0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}')
        async for message in ws:
            if message.startswith("40"):
                clients.add(ws)
                await ws.send('40/live,{"sid":"y"}')
            elif message.startswith("42/live,"):
                body = message[len("42/live,"):]
                ack = ""
                while body and body[0].isdigit():
                    ack, body = ack + body[0], body[1:]
                name, data = json.loads(body)
                counter["seq"] += 1
                seq = counter["seq"]
                payload = json.dumps(["events", [{"seq": seq, "kind": name, "data": data, "sent": time.time()}]])
                websockets.broadcast(clients, "42/live," + payload)
                if ack:
                    await ws.send(f"43/live,{ack}" + json.dumps([{"ok": True, "seq": seq}]))
        clients.discard(ws)

    async def main() -> None:
        async with websockets.serve(handler, "127.0.0.1", port, max_size=None, ping_interval=None):
            await asyncio.Future()

    run_loop(main())


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our loopback server
                return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer, even an error, means it is up
                return
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer")


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open")


# --- the data for the Roadshow server ------------------------------------------------------

@dataclass
class World:
    database_url: str
    instance: Path
    session_id: int
    host_cookie: str
    sender_cookies: list[str]
    viewer_cookies: list[str]


def build_world(workdir: Path, viewers: int, senders: int = 8, database_url: str | None = None) -> World:
    """An event with one published session; the organizer, judges who talk, and applicants who
    watch (invited to the session); session cookies signed with the server's secret."""
    os.environ["ROADSHOW_SECRET_KEY"] = SECRET
    from flask import session as flask_session
    from flask_login import login_user
    from werkzeug.security import generate_password_hash

    import roadshow
    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.db import Base
    from roadshow.events.models import Event
    from roadshow.extensions import db
    from roadshow.scheduling.models import (
        AttendanceRole,
        PitchSession,
        SessionAttendance,
        SessionStatus,
        Slot,
        SlotKind,
    )

    database_url = database_url or f"sqlite:///{workdir / 'fanout.db'}"
    instance = workdir / "instance"
    app = roadshow.create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance),
                               "SECRET_KEY": SECRET, "REDIS_URL": None,
                               "RATELIMIT_STORAGE_URI": "memory://"})
    password = generate_password_hash("bench-password", method="pbkdf2:sha256:1000")
    now = datetime.now(UTC)
    with app.app_context():
        if not database_url.startswith("sqlite"):
            Base.metadata.drop_all(db.engine)  # a database of its own, emptied for each run
        Base.metadata.create_all(db.engine)
        event = Event(slug="fanout", title_zh="路演", title_en="Fan-out")
        db.session.add(event)
        db.session.flush()

        def person(role: Role, n: int) -> User:
            return User(email=f"{role.value}{n}@bench.example", password_hash=password, role=role,
                        name=f"{role.value.title()} {n}", email_verified_at=now)

        organizer = person(Role.ORGANIZER, 0)
        talkers = [person(Role.JUDGE, i) for i in range(senders)]
        audience = [person(Role.APPLICANT, i) for i in range(viewers + 4)]
        db.session.add_all([organizer, *talkers, *audience])
        db.session.flush()
        pitch_session = PitchSession(event_id=event.id, title_zh="上午", title_en="Morning",
                                     starts_at=now, ends_at=now + timedelta(hours=8),
                                     status=SessionStatus.PUBLISHED, pitch_minutes=12, qa_minutes=8)
        db.session.add(pitch_session)
        db.session.flush()
        for i in range(4):
            application = Application(event_id=event.id, applicant_id=audience[-1 - i].id,
                                      status=ApplicationStatus.FINALIST, title_en=f"Project {i}",
                                      title_zh=f"项目 {i}")
            db.session.add(application)
            db.session.flush()
            db.session.add(Slot(session_id=pitch_session.id, kind=SlotKind.PITCH,
                                application_id=application.id, position=i,
                                starts_at=now + timedelta(minutes=20 * i),
                                ends_at=now + timedelta(minutes=20 * (i + 1))))
        db.session.add_all([SessionAttendance(session_id=pitch_session.id, user_id=u.id,
                                              role=AttendanceRole.RECRUITER) for u in audience[:viewers]])
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)

        def cookie(user: User) -> str:
            with app.test_request_context("/", headers={"User-Agent": USER_AGENT},
                                          environ_base={"REMOTE_ADDR": "127.0.0.1"}):
                login_user(user)
                return f"session={serializer.dumps(dict(flask_session))}"

        world = World(database_url, instance, pitch_session.id, cookie(organizer),
                      [cookie(u) for u in talkers], [cookie(u) for u in audience[:viewers]])
        db.session.remove()
        db.engine.dispose()
    return world


# --- the load generator: Engine.IO 4 / Socket.IO 5 over picows websockets on uvloop -------------

class Viewer:
    """One websocket client: answers pings, records latencies and the sequence numbers seen.

    It is a picows listener: frames are parsed in Cython and handed to ``on_ws_frame`` as they
    are read, with no task or coroutine per message, so one generator core keeps up with a
    2000-viewer broadcast (the calibration row shows how far it does)."""

    def __init__(self, url: str, cookie: str, session_id: int, hist: list[int], measure: dict[str, Any]) -> None:
        self.url, self.cookie, self.session_id = url, cookie, session_id
        self.hist, self.measure = hist, measure
        self.seqs: set[int] = set()
        self.acks: dict[int, asyncio.Future[Any]] = {}
        self.next_ack = 0
        self.transport: Any = None
        self.ready = asyncio.Event()
        self.refused: str | None = None
        self.partial: list[bytes] = []

    async def run(self) -> None:
        viewer = self

        class Listener(WSListener):  # type: ignore[misc]
            def on_ws_frame(self, transport: Any, frame: Any) -> None:
                viewer.on_frame(transport, frame)

        headers = {"User-Agent": USER_AGENT}
        if self.cookie:
            headers["Cookie"] = self.cookie
        transport, _listener = await ws_connect(Listener, self.url, extra_headers=headers,
                                                websocket_handshake_timeout=60,
                                                max_frame_size=64 * 2**20)
        self.transport = transport
        try:
            await transport.wait_disconnected()
        finally:
            transport.disconnect()
        if self.refused:
            raise RuntimeError(f"connection refused: {self.refused}")

    def on_frame(self, transport: Any, frame: Any) -> None:
        kind = frame.msg_type
        if kind is WSMsgType.CLOSE:
            transport.disconnect()
            return
        if kind is not WSMsgType.TEXT and kind is not WSMsgType.CONTINUATION:
            return
        if not frame.fin:  # a fragment: keep it until the last one
            self.partial.append(frame.get_payload_as_bytes())
            return
        message = frame.get_payload_as_bytes()
        if self.partial:
            message, self.partial = b"".join(self.partial) + message, []
        if message.startswith(b"42/live,"):
            self.on_event(message)
        elif message == b"2":
            transport.send(WSMsgType.TEXT, b"3")
        elif message.startswith(b"43/live,"):
            body = message[len(b"43/live,"):]
            bracket = body.index(b"[")
            future = self.acks.pop(int(body[:bracket]), None)
            if future is not None and not future.done():
                future.set_result(loads(body[bracket:])[0])
        elif message.startswith(b"0{"):  # the Engine.IO open packet: join the namespace
            transport.send(WSMsgType.TEXT, b"40/live," + dumps({"session_id": self.session_id}))
        elif message.startswith(b"40/live"):
            self.ready.set()
        elif message.startswith(b"44/live"):
            self.refused = message.decode()
            transport.disconnect()

    def on_event(self, message: bytes) -> None:
        now = time.time()
        name, *args = loads(message[len(b"42/live,"):])
        if name != "events" or not self.measure["on"]:
            return
        for event in args[0]:
            self.seqs.add(event["seq"])
            latency_ms = int((now - event["sent"]) * 1000)
            self.hist[min(max(latency_ms, 0), HIST_MS - 1)] += 1

    async def call(self, name: str, data: dict[str, Any], timeout: float = 10.0) -> Any:
        self.next_ack += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.acks[self.next_ack] = future
        self.transport.send(WSMsgType.TEXT, f"42/live,{self.next_ack}".encode() + dumps([name, data]))
        return await asyncio.wait_for(future, timeout)


loads = orjson.loads
dumps = orjson.dumps


def run_loop(main: Any) -> Any:
    """Run a generator coroutine on uvloop (libuv), as a load generator should."""
    return uvloop.run(main)


def worker(url: str, cookies: list[str], session_id: int, connect_batch: int, snapshot: bool,
           control: Any, results: Any) -> None:
    """A generator process: connects its viewers, measures while told to, reports at the end."""
    async def main() -> None:
        hist = [0] * HIST_MS
        measure = {"on": False}
        viewers = [Viewer(url, c, session_id, hist, measure) for c in cookies]
        tasks = []
        failures = 0
        for start in range(0, len(viewers), connect_batch):
            batch = viewers[start:start + connect_batch]
            tasks += [asyncio.create_task(v.run()) for v in batch]
            done = await asyncio.wait([asyncio.create_task(v.ready.wait()) for v in batch], timeout=60)
            failures += len(batch) - len(done[0])
            if snapshot:
                await asyncio.gather(*(v.call("hello", {}, 60) for v in batch if v.ready.is_set()),
                                     return_exceptions=True)
        results.put(("connected", len(viewers) - failures))
        loop = asyncio.get_running_loop()
        command = await loop.run_in_executor(None, control.get)
        measure["on"] = command == "measure"
        command = await loop.run_in_executor(None, control.get)
        measure["on"] = False
        await asyncio.sleep(1.0)  # the last batch in flight
        results.put(("done", hist, [sorted(v.seqs) for v in viewers]))
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    run_loop(main())


async def drive(url: str, host_cookie: str, sender_cookies: list[str], session_id: int,
                seconds: float, raw: bool, stateless: bool) -> dict[str, Any]:
    """The host and the senders: a stage change every few seconds, chat, questions and votes.
    Returns the sequence numbers every viewer should have received."""
    dummy_hist = [0] * HIST_MS
    host = Viewer(url, host_cookie, session_id, dummy_hist, {"on": False})
    senders = [Viewer(url, c, session_id, dummy_hist, {"on": False}) for c in sender_cookies]
    tasks = [asyncio.create_task(v.run()) for v in (host, *senders)]
    await asyncio.gather(*(v.ready.wait() for v in (host, *senders)))
    expected: list[int] = []
    votes: dict[int, list[int]] = {}
    errors: list[str] = []
    counter = {"stage": 0, "chat": 0, "vote": 0, "question": 0}

    async def call(who: Viewer, name: str, data: dict[str, Any], kind: str) -> Any:
        data = {**data, "action_id": f"{name}-{random.getrandbits(48):x}"}
        try:
            answer = await who.call(name, data)
        except TimeoutError:
            errors.append(f"{name}: no answer")
            return None
        if not answer.get("ok"):
            errors.append(f"{name}: {answer.get('error')}")
            return None
        if answer.get("seq") is not None:
            counter[kind] += 1
        return answer

    if not raw:
        await call(host, "stage", {"command": "open"}, "stage")
        await call(host, "stage", {"command": "next"}, "stage")
    questions: list[int] = []
    pending_jobs: set[asyncio.Task[None]] = set()
    my_votes: dict[tuple[int, int], bool] = {}

    async def run_job(kind: str, who: Viewer, name: str, data: dict[str, Any]) -> None:
        answer = await call(who, name, data, kind)
        if answer is None or answer.get("duplicate"):
            return
        if kind == "question":
            if stateless:  # the comparison servers broadcast the question as it is
                expected.append(answer["seq"])
                questions.append(len(questions) + 1)
                return
            # the question itself goes to the host only; its approval goes to everyone
            qid = await find_question(host, answer["seq"])
            if qid is not None:
                approved = await call(host, "moderate", {"question_id": qid, "status": "approved"}, "question")
                if approved:
                    expected.append(approved["seq"])
                    questions.append(qid)
        elif answer.get("seq") is not None:
            expected.append(answer["seq"])
            if kind == "vote":
                votes.setdefault(data["question_id"], []).append(answer["seq"])

    cycle = ["start", "pause", "extend", "start", "qa", "start", "scoring", "next"]
    started = time.monotonic()
    tick = 0
    while time.monotonic() - started < seconds:
        tick += 1
        jobs = []
        if tick % 20 == 0:  # every 5 s: the stage moves
            command = cycle[(tick // 20 - 1) % len(cycle)]
            jobs.append(("stage", host, "stage", {"command": command, "seconds": 60}))
        if tick % 2 == 0:  # 2 chat messages a second
            jobs.append(("chat", senders[tick % len(senders)], "chat",
                         {"text": f"Message {tick}: how does it scale?"}))
        if tick % 40 == 1:  # a question every 10 s, approved by the host
            jobs.append(("question", senders[(tick // 2) % len(senders)], "ask",
                         {"text": f"Question {tick}?"}))
        if questions and tick % 4 == 3:  # a vote a second, changing
            voter_index = random.randrange(len(senders))
            question = random.choice(questions)
            up = not my_votes.get((voter_index, question), False)  # always a change: one event
            my_votes[(voter_index, question)] = up
            jobs.append(("vote", senders[voter_index], "vote", {"question_id": question, "up": up}))
        for job in jobs:  # on schedule, whatever the answers take: the same offered load
            pending_jobs.add(asyncio.create_task(run_job(*job)))
        await asyncio.sleep(max(0.0, started + tick * 0.25 - time.monotonic()))
    if pending_jobs:
        await asyncio.wait(pending_jobs, timeout=15)
    await asyncio.sleep(1.0)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"expected": expected, "votes": votes, "errors": errors, "counts": counter}


async def find_question(host: Viewer, _seq: int) -> int | None:
    snapshot = await host.call("hello", {})
    pending = [q["id"] for q in snapshot["snapshot"]["questions"] if q["status"] == "pending"]
    return max(pending) if pending else None


async def warm_up(url: str, cookies: list[str], session_id: int) -> None:
    hist = [0] * HIST_MS
    clients = [Viewer(url, c, session_id, hist, {"on": False}) for c in cookies]
    tasks = [asyncio.create_task(v.run()) for v in clients]
    await asyncio.wait_for(asyncio.gather(*(v.ready.wait() for v in clients)), 60)
    await asyncio.gather(*(v.call("hello", {}, 60) for v in clients))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.sleep(1.0)


# --- one run ----------------------------------------------------------------------------------

def run_scenario(label: str, ws_url: str, server_pid: int | None, world: World | None,
                 viewers: int, seconds: float, raw: bool, processes: int) -> dict[str, Any]:
    import psutil

    cookies = world.viewer_cookies[:viewers] if world else [""] * viewers
    session_id = world.session_id if world else 0
    server = psutil.Process(server_pid) if server_pid else None
    if not raw:  # load what the first connections load once, so it is not counted per connection
        run_loop(warm_up(ws_url, cookies[:5], session_id))
    rss_before = server.memory_info().rss if server else 0
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    controls = [ctx.Queue() for _ in range(processes)]
    shares = [cookies[i::processes] for i in range(processes)]
    workers = [ctx.Process(target=worker, args=(ws_url, share, session_id, 50, not raw, control, results))
               for share, control in zip(shares, controls, strict=True)]
    for process in workers:
        process.daemon = True
        process.start()
    connected = sum(results.get(timeout=600)[1] for _ in workers)
    time.sleep(2.0)  # presence and snapshots settle
    rss_loaded = server.memory_info().rss if server else 0
    cpu_before = server.cpu_times() if server else None
    for control in controls:
        control.put("measure")
    started = time.monotonic()
    drive_cookies = (world.host_cookie, world.sender_cookies) if world else ("", [""] * 8)
    driven = run_loop(drive(ws_url, drive_cookies[0], drive_cookies[1], session_id, seconds, raw,
                               stateless=label != "roadshow"))
    elapsed = time.monotonic() - started
    cpu_after = server.cpu_times() if server else None
    for control in controls:
        control.put("stop")
    hist = [0] * HIST_MS
    seqs: list[list[int]] = []
    for _ in workers:
        _kind, worker_hist, worker_seqs = results.get(timeout=120)
        hist = [a + b for a, b in zip(hist, worker_hist, strict=True)]
        seqs += worker_seqs
    for process in workers:
        process.join(timeout=30)
    expected = set(driven["expected"])
    superseded = {seq for seq_list in driven["votes"].values() for seq in seq_list[:-1]}
    delivered = 0
    for got in seqs:
        got_set = set(got)
        for seq in expected:
            if seq in got_set:
                delivered += 1
            elif seq in superseded:
                # a vote count coalesced into a newer one of the same question
                later = [s for q in driven["votes"].values() if seq in q for s in q if s > seq]
                delivered += any(s in got_set for s in later)
    expected_total = len(expected) * len(seqs)
    samples = sum(hist)

    def hist_percentile(q: float) -> float:
        if not samples:
            return float("nan")
        target = q / 100 * samples
        running = 0
        for ms, count in enumerate(hist):
            running += count
            if running >= target:
                return float(ms)
        return float(HIST_MS)

    cpu = (cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system) if server else 0.0
    return {
        "server": label, "viewers": viewers, "connected": connected, "seconds": round(elapsed, 1),
        "broadcasts": len(expected), "expected": expected_total, "delivered": delivered,
        "lost": expected_total - delivered,
        "rate_per_s": round(delivered / elapsed, 1) if elapsed else 0.0,
        "median_ms": hist_percentile(50), "p99_ms": hist_percentile(99),
        "cpu_pct": round(100 * cpu / elapsed, 1) if server else None,
        "kb_per_conn": round((rss_loaded - rss_before) / 1024 / max(connected, 1), 1) if server else None,
        "rss_mb": round(rss_loaded / 2**20, 1) if server else None,
        "errors": len(driven["errors"]), "first_errors": driven["errors"][:3],
    }


def plan_affinity(pin: bool | None) -> tuple[set[int] | None, set[int] | None]:
    """(server CPUs, generator CPUs): the first usable CPU for the server under test, the rest for
    the load generator; (None, None) when not pinning (asked not to, or fewer than 2 CPUs)."""
    usable = sorted(os.sched_getaffinity(0))
    if pin is False or len(usable) < 2:
        if pin:
            print(f"--pin asked, but only CPU(s) {usable} usable: not pinned", flush=True)
        return None, None
    return {usable[0]}, set(usable[1:])


def describe_affinity(server_cpus: set[int] | None, generator_cpus: set[int] | None) -> str:
    if server_cpus is None or generator_cpus is None:
        return f"not pinned: servers and generator share CPU(s) {sorted(os.sched_getaffinity(0))}"
    return (f"server pinned to CPU {','.join(map(str, sorted(server_cpus)))}, "
            f"load generator to CPU {','.join(map(str, sorted(generator_cpus)))}")


SERVER_CPUS: set[int] | None = None  # set by main(): the CPUs a server under test is pinned to


def start_process(args: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen[bytes]:
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - the child keeps it
    cpus = SERVER_CPUS

    def pin() -> None:  # in the child before exec: every thread it starts inherits the mask
        if cpus is not None:
            os.sched_setaffinity(0, cpus)

    process = subprocess.Popen(args, env=env, cwd=str(ROOT), stdout=out, stderr=subprocess.STDOUT,
                               preexec_fn=pin if cpus is not None else None)  # noqa: PLW1509
    if log:
        out.close()  # type: ignore[union-attr]
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 viewers for a few seconds")
    parser.add_argument("--sizes", default="", help="viewer counts, e.g. 500,1000,2000")
    parser.add_argument("--seconds", type=float, default=0, help="measurement length per run")
    parser.add_argument("--processes", type=int, default=2, help="load-generator processes")
    parser.add_argument("--pin", action=argparse.BooleanOptionalAction, default=None,
                        help="pin each server to one CPU and the load generator to the others "
                             "(default: on with at least 2 CPUs)")
    parser.add_argument("--servers", default="raw,roadshow,bare",
                        help="which rows to run (raw is the calibration)")
    parser.add_argument("--database-url", default=None,
                        help="run Roadshow on this database instead of a fresh SQLite file (its "
                             "tables are dropped and made anew: give it a database of its own, "
                             "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/roadshow_bench)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory (the servers' logs) instead of removing it")
    parser.add_argument("--serve-bare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve-raw", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        bare_server(args.serve_bare)
        return
    if args.serve_raw:
        raw_server(args.serve_raw)
        return
    sizes = [int(n) for n in args.sizes.split(",") if n] or ([200] if args.quick else [500, 1000, 2000])
    seconds = args.seconds or (8.0 if args.quick else 60.0)
    processes = 1 if args.quick else args.processes
    servers = {name.strip() for name in args.servers.split(",") if name.strip()}
    global SERVER_CPUS  # noqa: PLW0603 - one setting for the whole run
    server_cpus, generator_cpus = plan_affinity(args.pin)
    SERVER_CPUS = server_cpus
    if generator_cpus is not None:  # this process drives; the viewer processes inherit the mask
        os.sched_setaffinity(0, generator_cpus)
    affinity = describe_affinity(server_cpus, generator_cpus)
    workdir = Path(tempfile.mkdtemp(prefix="live-fanout-"))
    database = (args.database_url or "sqlite").split(":", 1)[0].split("+", 1)[0]
    print(f"Live fan-out: viewers {sizes}, {seconds:.0f} s each, {processes} generator process(es), "
          f"{os.cpu_count()} CPU(s), {affinity}, Roadshow on {database}; work in {workdir}", flush=True)
    rows: list[dict[str, Any]] = []
    try:
        world = build_world(workdir, max(sizes), database_url=args.database_url)
        for size in sizes:
            if "raw" in servers:  # 1. calibration: the generator against a raw broadcast server
                port = free_port()
                raw = start_process([sys.executable, __file__, "--serve-raw", str(port)])
                wait_port(port)
                rows.append(run_scenario("raw websockets", f"ws://127.0.0.1:{port}/", raw.pid, None,
                                         size, min(seconds, 20.0), True, processes))
                stop(raw)
                print_table(f"so far ({affinity})", rows[-1:])
            if "roadshow" in servers:  # 2. Roadshow
                port = free_port()
                env = {k: v for k, v in os.environ.items() if not k.startswith("ROADSHOW_")}
                env.update({"ROADSHOW_DATABASE_URL": world.database_url,
                            "ROADSHOW_INSTANCE_PATH": str(world.instance),
                            "ROADSHOW_SECRET_KEY": SECRET, "ROADSHOW_BASE_URL": f"http://127.0.0.1:{port}"})
                ours = start_process([str(Path(sys.executable).with_name("roadshow")), "serve",
                                      "--port", str(port)], env, workdir / f"roadshow-{size}.log")
                wait_http(f"http://127.0.0.1:{port}/healthz")
                reset_room(world)
                rows.append(run_scenario("roadshow", f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
                                         ours.pid, world, size, seconds, False, processes))
                stop(ours)
                print_table(f"so far ({affinity})", rows[-1:])
            if "bare" in servers:  # 3. the bare Flask-SocketIO server, same scenario
                port = free_port()
                bare = start_process([sys.executable, __file__, "--serve-bare", str(port)], None,
                                     workdir / f"bare-{size}.log")
                wait_port(port)
                rows.append(run_scenario("bare flask-socketio", f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
                                         bare.pid, world, size, seconds, False, processes))
                stop(bare)
                print_table(f"so far ({affinity})", rows[-1:])
    finally:
        if args.keep:
            print(f"kept {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(f"Results ({affinity})", [{k: v for k, v in r.items() if k != "first_errors"} for r in rows])
    figures: dict[str, Any] = {"runs": rows, "affinity": affinity, "database": database}

    def row(server: str, size: int) -> dict[str, Any]:
        return next((r for r in rows if r["server"] == server and r["viewers"] == size), {})

    for size in sizes:
        ours, bare, calibration = row("roadshow", size), row("bare flask-socketio", size), row("raw websockets", size)
        ratio = round(ours["rate_per_s"] / bare["rate_per_s"], 3) if ours and bare.get("rate_per_s") else None
        print(f"N={size}: roadshow delivered {ours.get('rate_per_s')}/s vs bare {bare.get('rate_per_s')}/s "
              f"(ratio {ratio}); p99 {ours.get('p99_ms')} ms vs {bare.get('p99_ms')} ms; calibration p99 "
              f"{calibration.get('p99_ms')} ms")
        figures[f"p99_ms_{size}"] = ours.get("p99_ms")
        figures[f"lost_{size}"] = ours.get("lost")
        figures[f"kb_per_conn_{size}"] = ours.get("kb_per_conn")
        figures[f"rate_ratio_{size}"] = ratio
        figures[f"calibration_p99_ms_{size}"] = calibration.get("p99_ms")
    top = max(sizes)
    emit("live_fanout", figures, {
        f"p99_ms_{top}": {"max": 150}, f"lost_{top}": {"max": 0},
        f"kb_per_conn_{top}": {"max": 150}, f"rate_ratio_{top}": {"min": 0.8},
    })


def reset_room(world: World) -> None:
    """Each run starts from a fresh room (the previous run's stage and chat are dropped)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(world.database_url)
    with engine.begin() as connection:
        for table in ("live_votes", "live_questions", "live_chat_messages", "live_events",
                      "live_presence", "live_mutes", "live_rooms"):
            connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names
    engine.dispose()


if __name__ == "__main__":
    main()
