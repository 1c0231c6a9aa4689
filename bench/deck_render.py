"""Pathological deck uploads against one ``roadshow serve`` process (gevent) while it is polled.

The probe's 420-byte PDF (a page 4 pt wide and 10,000 pt tall) made one upload render a 2 GB
bitmap on the event loop: every other request on the process waited seconds. This benchmark
starts a real ``roadshow serve`` subprocess on a fresh SQLite database, signs in an applicant
(a session cookie signed with the server's secret) and uploads, through the application form,
decks whose pages are tall, wide, tiny, huge, a sliver, scaled by UserUnit, and ordinary ones
(16:9 and an A0 poster, which are accepted and rendered to thumbnails), while another thread
polls ``/healthz`` on the same process every 20 ms (falling back to ``/verify-intent``, a cheap
public page, on a server without ``/healthz``).

It reports each upload's time and outcome, the slowest health answer during the uploads (and,
as a reference, the health answers of the same process with no upload, and the machine's load
average: on a machine shared with other work every answer is slower), and the server's memory
growth (psutil RSS, sampled as it polls), held against the issue's targets: ``/healthz`` never
slower than 200 ms and memory growth under 200 MB.

    .venv/bin/python bench/deck_render.py [--quick] [--rounds N]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import emit, percentile, print_table  # noqa: E402

SECRET = "bench-deck-render-secret"  # noqa: S105 - a throwaway key for the bench's own server
USER_AGENT = "roadshow-deck-render/1"
HEALTH_TARGET_MS = 200
MEMORY_TARGET_MB = 200

#: name -> (page sizes in points, UserUnit, accepted?)
DECKS: dict[str, tuple[list[tuple[float, float]], float | None, bool]] = {
    "tall 4x10000 pt": ([(4, 10_000)], None, False),
    "wide 10000x4 pt": ([(10_000, 4)], None, False),
    "tiny 1x1 pt": ([(1, 1)], None, False),
    "huge 20000x20000 pt": ([(20_000, 20_000)], None, False),
    "sliver 200x2000 pt": ([(200, 2_000)], None, False),
    "UserUnit 75 x 16:9": ([(720, 405)], 75.0, False),
    "ordinary 16:9 x 20": ([(960, 540)] * 20, None, True),
    "poster A0": ([(2384, 3370)], None, True),
    "largest allowed 14400 pt": ([(14_400, 14_400)], None, True),
}


def shaped_pdf(sizes: list[tuple[float, float]], user_unit: float | None = None) -> bytes:
    """A minimal PDF with one colour-filled page per ``(width, height)`` in points."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for width, height in sizes:
        number = len(objects) + 1
        content = b"0.2 0.4 0.8 rg 0 0 %g %g re f 1 0 0 rg 10 10 m %g %g l S" % (
            width, height, width - 10, height - 10)
        unit = b" /UserUnit %g" % user_unit if user_unit else b""
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g]%s /Contents %d 0 R >>"
                       % (width, height, unit, number + 1))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        kids.append(b"%d 0 R" % number)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = b"%PDF-1.6\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class World:
    instance: Path
    database_url: str
    event_id: int
    track_id: int
    cookie: str


def build_world(workdir: Path) -> World:
    """An event whose call is open, an applicant with a complete profile, their session cookie."""
    os.environ["ROADSHOW_SECRET_KEY"] = SECRET
    from flask import session as flask_session
    from flask_login import login_user
    from werkzeug.security import generate_password_hash

    import roadshow
    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import ApplicantProfile
    from roadshow.db import Base
    from roadshow.extensions import db
    from tests.events.factories import build_event

    instance = workdir / "instance"
    database_url = f"sqlite:///{workdir / 'decks.db'}"
    app = roadshow.create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance),
                               "SECRET_KEY": SECRET, "REDIS_URL": None,
                               "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        event = build_event(db.session, slug="decks")
        user = User(email="applicant@bench.example", role=Role.APPLICANT, name="Ada Bench",
                    password_hash=generate_password_hash("bench-password", method="pbkdf2:sha256:1000"),
                    email_verified_at=datetime.now(UTC))
        db.session.add(user)
        db.session.flush()
        db.session.add(ApplicantProfile(
            user_id=user.id, name_latin=user.name, nationality="CN", country_of_residence="US",
            institution="Stanford University", position="Research Scientist",
            highest_degree="phd", research_field="Low-power IoT"))
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        with app.test_request_context("/", headers={"User-Agent": USER_AGENT},
                                      environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            login_user(user)
            cookie = f"session={serializer.dumps(dict(flask_session))}"
        world = World(instance, database_url, event.id, event.tracks[0].id, cookie)
        db.session.remove()
        db.engine.dispose()
    return world


class Client:
    """Just enough of a browser: one session cookie, form posts with CSRF tokens."""

    def __init__(self, base: str, cookie: str) -> None:
        self.base, self.cookie = base, cookie

    def _open(self, request: urllib.request.Request, timeout: float = 120) -> tuple[int, str]:
        request.add_header("Cookie", self.cookie)
        request.add_header("User-Agent", USER_AGENT)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        for value in headers.get_all("Set-Cookie") or []:
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return status, body.decode("utf-8", "replace")

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback

    def post_multipart(self, path: str, fields: dict[str, str | list[str]],
                       files: dict[str, tuple[str, bytes, str]]) -> tuple[int, str]:
        boundary = secrets.token_hex(16)
        parts: list[bytes] = []
        for name, value in fields.items():
            for item in value if isinstance(value, list) else [value]:
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                             f"{item}\r\n".encode())
        for name, (filename, data, content_type) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                         + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        request.add_header("Referer", self.base + path)
        return self._open(request)


@dataclass
class Poller:
    """Polls a cheap URL on the server every 20 ms; records latencies and the server's RSS."""

    url: str
    process: psutil.Process
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (when, seconds)
    rss: list[tuple[float, int]] = field(default_factory=list)
    errors: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=30) as response:  # noqa: S310 - loopback
                    response.read()
            except urllib.error.HTTPError as error:
                error.read()
                if error.code >= 500 and error.code != 503:
                    self.errors += 1
            except OSError:
                self.errors += 1
            now = time.perf_counter()
            self.latencies.append((now, now - started))
            with contextlib.suppress(psutil.Error):
                self.rss.append((now, self.process.memory_info().rss))
            self.stop.wait(0.02)

    def worst_between(self, start: float, end: float) -> float:
        """The slowest answer that overlapped [start, end] (seconds)."""
        return max((took for when, took in self.latencies if when >= start and when - took <= end),
                   default=0.0)


def wait_until_up(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"roadshow serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/verify-intent", timeout=2):  # noqa: S310 - loopback
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise SystemExit("roadshow serve did not start")


def health_path(base: str) -> str:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310 - loopback
            return "/healthz"
    except urllib.error.HTTPError as error:
        return "/healthz" if error.code == 503 else "/verify-intent"
    except OSError:
        return "/verify-intent"


def project_fields(world: World, csrf: str, form_token: str) -> dict[str, str | list[str]]:
    return {
        "csrf_token": csrf, "form_token": form_token, "action": "save",
        "title_en": "Low-power IoT for industry", "title_zh": "低功耗物联网",
        "summary": "Sensors that run ten years on one battery.", "track": str(world.track_id),
        "stage": "prototype", "team_size": "6", "funding_sought_cny": "5,000,000",
        "support_sought": "Premises.", "video_url": "",
    }


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page)
    return match.group(1) if match else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round of every deck")
    parser.add_argument("--rounds", type=int, default=0, help="rounds of every deck (default 3)")
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 3)

    with tempfile.TemporaryDirectory(prefix="roadshow-deck-render-") as tmp:
        world = build_world(Path(tmp))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, ROADSHOW_SECRET_KEY=SECRET, ROADSHOW_DATABASE_URL=world.database_url,
                   ROADSHOW_INSTANCE_PATH=str(world.instance), ROADSHOW_BASE_URL=base,
                   ROADSHOW_REDIS_URL="")
        log_path = Path(tmp) / "serve.log"
        with open(log_path, "wb") as log:
            server = subprocess.Popen(
                [str(Path(sys.executable).with_name("roadshow")), "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--no-worker"],
                cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(base, server)
            path = health_path(base)
            process = psutil.Process(server.pid)
            client = Client(base, world.cookie)
            status, page = client.get(f"/apply/{world.event_id}")
            if status != 200:
                raise SystemExit(f"the application form answered {status}; see {log_path}")
            # warm up: the first upload imports pypdf and pypdfium2 and starts the render thread
            client.post_multipart(f"/apply/{world.event_id}",
                                  project_fields(world, hidden(page, "csrf_token"),
                                                 hidden(page, "form_token")),
                                  {"deck": ("warm.pdf", shaped_pdf([(960, 540)]), "application/pdf")})
            time.sleep(1)
            rss_before = process.memory_info().rss
            poller = Poller(base + path, process)
            thread = threading.Thread(target=poller.run, daemon=True)
            thread.start()
            # the same polling with no upload: on a machine shared with other work, what the
            # health answers cost anyway (read the upload figures against it)
            time.sleep(max(3.0, rounds * 1.0))
            baseline = [took for _when, took in poller.latencies]
            rows = []
            worst_overall = 0.0
            during: list[float] = []
            for round_number in range(rounds):
                for name, (sizes, unit, accepted) in DECKS.items():
                    status, page = client.get(f"/apply/{world.event_id}")
                    data = shaped_pdf(sizes, unit)
                    started = time.perf_counter()
                    status, page = client.post_multipart(
                        f"/apply/{world.event_id}",
                        project_fields(world, hidden(page, "csrf_token"), hidden(page, "form_token")),
                        {"deck": (f"{name}.pdf", data, "application/pdf")})
                    ended = time.perf_counter()
                    time.sleep(0.1)  # let a poll that overlapped the end finish
                    refused = "not a page size we can show" in page
                    worst = poller.worst_between(started, ended)
                    during.extend(took for when, took in poller.latencies
                                  if when >= started and when - took <= ended)
                    worst_overall = max(worst_overall, worst)
                    if round_number == 0:
                        rows.append({
                            "deck": name, "bytes": len(data), "status": status,
                            "outcome": "refused" if refused else ("stored" if status in (200, 302) else "?"),
                            "expected": "stored" if accepted else "refused",
                            "upload_ms": round((ended - started) * 1000, 1),
                            f"worst {path} ms": round(worst * 1000, 1),
                        })
            poller.stop.set()
            thread.join(timeout=35)
            rss_peak = max((rss for _when, rss in poller.rss), default=rss_before)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=20)

    print_table(f"Pathological deck uploads ({rounds} round(s)) while {path} is polled every 20 ms", rows)
    samples = [took for _when, took in poller.latencies]
    figures = {
        "health_path": path,
        "rounds": rounds,
        "health_polls": len(samples),
        "health_idle_p95_ms": round(percentile(baseline, 95) * 1000, 1),
        "health_idle_max_ms": round(max(baseline, default=0) * 1000, 1),
        "health_p95_ms_during_uploads": round(percentile(during, 95) * 1000, 1) if during else 0,
        "health_max_ms_during_uploads": round(worst_overall * 1000, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "health_errors": poller.errors,
        "rss_before_mb": round(rss_before / 2**20, 1),
        "rss_peak_mb": round(rss_peak / 2**20, 1),
        "rss_growth_mb": round((rss_peak - rss_before) / 2**20, 1),
        "outcomes_as_expected": all(r["outcome"] == r["expected"] for r in rows),
    }
    print(f"\n{path} with no upload: p95 {figures['health_idle_p95_ms']} ms, slowest "
          f"{figures['health_idle_max_ms']} ms (load average {figures['load_average_1min']} on "
          f"{figures['cpus']} CPUs)")
    print(f"{path}: slowest {figures['health_max_ms_during_uploads']} ms during uploads "
          f"(target {HEALTH_TARGET_MS} ms); memory {figures['rss_before_mb']} -> "
          f"{figures['rss_peak_mb']} MB (growth {figures['rss_growth_mb']} MB, target "
          f"{MEMORY_TARGET_MB} MB)")
    emit("deck_render", figures, {
        "health_max_ms_during_uploads": {"max": HEALTH_TARGET_MS},
        "rss_growth_mb": {"max": MEMORY_TARGET_MB},
        "health_errors": {"max": 0},
    })


if __name__ == "__main__":
    main()
