"""Video on the live stage: one presenter, N viewers, through the embedded default (browser to
browser) and through Janus, in Debian's Chromium with a fake camera (each viewer its own
browser context, as the browser tests do).

For each backend and audience size it reports the time from "Go on camera" until each viewer
decoded its first frame (median, max), the frames each viewer decoded per second over a short
window against the frames the presenter's camera sent per second, how many viewers got a
picture at all, how many uploads the presenter's browser made (the mesh's cost: one per viewer;
Janus: one, with simulcast layers) and, for Janus, the media server's CPU and memory.

The embedded default's limit is measured as the number of uploads the presenter's browser makes
when more join than it serves (the host watches too, so it takes one; the others beyond are told
to use the meeting link).

    .venv/bin/python bench/live_video.py --quick     # 2 and 8 viewers, 8 s windows
    .venv/bin/python bench/live_video.py             # 2, 4, 8, 10 (mesh) and 2, 4, 8, 16 (Janus)

Needs Chromium (/usr/bin/chromium) and, for the Janus rows, the Debian package janus. Browser
contexts are heavy: on a small shared machine the larger sizes measure the machine as much as
the media path (the figures say so by the fps they reach).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench._report import emit, print_table  # noqa: E402
from roadshow.live import janus_local  # noqa: E402
from tests.conftest import _PASSWORD_HASH, CHROMIUM, CHROMIUM_ARGS, TEST_PASSWORD  # noqa: E402
from tests.live.rooms import build_room, create_schema  # noqa: E402
from tests.live.servers import Server, server_env  # noqa: E402

ADMIN_KEY = "bench-videoroom-admin-key"
STEP_MS = 30_000


def add_viewers(world: dict[str, Any], count: int) -> list[str]:
    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.organisations.models import EventRole, EventRoleKind

    now = datetime.now(UTC)
    engine = create_engine(world["database_url"])
    with Session(engine) as session:
        people = [User(email=f"viewer{i}-{world['tag']}@example.org", password_hash=_PASSWORD_HASH,
                       role=Role.JUDGE, name=f"Viewer {i}", email_verified_at=now)
                  for i in range(count)]
        session.add_all(people)
        session.flush()
        session.add_all([EventRole(event_id=world["event_id"], user_id=p.id,
                                   role=EventRoleKind.JUDGE) for p in people])
        emails = [p.email for p in people]
        session.commit()
    engine.dispose()
    return emails


def open_room(browser: Any, base_url: str, email: str, path: str) -> Any:
    context = browser.new_context(base_url=base_url, viewport={"width": 800, "height": 700})
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(path)
    page.wait_for_selector("#live-status.bg-success", timeout=STEP_MS)
    return page


def run(browser: Any, server: Server, database_url: str, backend: str, viewers: int,
        window_s: float, janus_process: psutil.Process | None) -> dict[str, Any]:
    world = build_room(database_url)
    emails = add_viewers(world, viewers)
    pages = []
    try:
        host = open_room(browser, server.url, world["organizer"], world["room"])
        presenter = open_room(browser, server.url, f"applicant-{world['tag']}@example.org", world["room"])
        watchers = [open_room(browser, server.url, email, world["room"]) for email in emails]
        pages = [host, presenter, *watchers]
        host.click("[data-stage=open]")
        host.wait_for_selector("[data-stage=open]:disabled", timeout=STEP_MS)
        host.click("[data-stage=next]")
        presenter.wait_for_selector("#video-publish", state="visible", timeout=STEP_MS)
        started = time.monotonic()
        presenter.click("#video-publish")
        first: dict[int, float] = {}
        deadline = started + STEP_MS / 1000
        while len(first) < len(watchers) and time.monotonic() < deadline:
            for index, page in enumerate(watchers):
                if index not in first and page.evaluate("window.RoadshowVideo.framesDecoded()") > 0:
                    first[index] = time.monotonic() - started
            time.sleep(0.1)
        if janus_process is not None:
            janus_process.cpu_percent(None)
        before = [page.evaluate("window.RoadshowVideo.framesDecoded()") for page in watchers]
        sent_before = presenter.evaluate("window.RoadshowVideo.framesSent()")
        time.sleep(window_s)
        after = [page.evaluate("window.RoadshowVideo.framesDecoded()") for page in watchers]
        sent_after = presenter.evaluate("window.RoadshowVideo.framesSent()")
        layers = max(1, sent_after["layers"])
        fps = [(a - b) / window_s for a, b in zip(after, before, strict=True)]
        receiving = [f for i, f in enumerate(fps) if i in first]
        row = {
            "backend": backend, "viewers": viewers, "with_picture": len(first),
            "first_frame_median_s": round(statistics.median(first.values()), 2) if first else None,
            "first_frame_max_s": round(max(first.values()), 2) if first else None,
            "viewer_fps_median": round(statistics.median(receiving), 1) if receiving else 0,
            "viewer_fps_min": round(min(receiving), 1) if receiving else 0,
            "camera_fps": round((sent_after["frames"] - sent_before["frames"]) / window_s / layers, 1),
            "uploads": sent_after["layers"],
        }
        missing = [page.locator("#video-notice").inner_text() or "(no notice)"
                   for index, page in enumerate(watchers) if index not in first]
        if missing:  # what a viewer without a picture was told
            row["without_picture_told"] = sorted(set(missing))
        if janus_process is not None:
            row["janus_cpu_pct"] = round(janus_process.cpu_percent(None), 1)
            row["janus_rss_mb"] = round(janus_process.memory_info().rss / 2**20, 1)
        return row
    finally:
        for page in pages:
            page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 and 8 viewers, 8 s windows")
    parser.add_argument("--sizes", help="audience sizes for both backends, e.g. 2,2,2")
    args = parser.parse_args()
    mesh_sizes = [2, 8] if args.quick else [2, 4, 8, 10]
    janus_sizes = [2, 8] if args.quick else [2, 4, 8, 16]
    if args.sizes:
        mesh_sizes = janus_sizes = [int(n) for n in args.sizes.split(",")]
    window = 8.0 if args.quick else 15.0
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        root = Path(folder)
        janus_url, janus = None, None
        if janus_local.installed():
            janus_url, janus = janus_local.start(root / "janus", admin_key=ADMIN_KEY)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        servers = []
        try:
            for backend in (("janus",) if args.sizes else ("mesh", "janus")):
                if backend == "janus" and janus_url is None:
                    print("Janus is not installed: no Janus rows (apt-get install janus)")
                    continue
                database_url = f"sqlite:///{root / (backend + '.db')}"
                create_schema(database_url)
                port = janus_local.free_port()
                extra = {"ROADSHOW_JANUS_URL": janus_url, "ROADSHOW_JANUS_ADMIN_KEY": ADMIN_KEY} \
                    if backend == "janus" else {}
                server = Server(port, server_env(database_url, root / backend, port, **extra),
                                log_path=root / f"{backend}.log").start()
                servers.append(server)
                process = psutil.Process(janus.pid) if backend == "janus" and janus else None
                for size in (mesh_sizes if backend == "mesh" else janus_sizes):
                    row = run(browser, server, database_url, backend, size, window, process)
                    rows.append(row)
                    print_table(f"{backend}, {size} viewers", [row])
        finally:
            for server in servers:
                server.stop(kill=False)
            browser.close()
            if janus is not None:
                janus.terminate()
                janus.wait(timeout=10)
    print_table("Video on the live stage: one presenter, N viewers", rows)
    mesh_rows = [r for r in rows if r["backend"] == "mesh"]
    figures = {
        # the host watches too: the mesh's limit counts the presenter's uploads, host included
        "mesh_limit_uploads": max((r["uploads"] for r in mesh_rows), default=0),
        "rows": rows,
    }
    largest_janus = max((r for r in rows if r["backend"] == "janus"), key=lambda r: r["viewers"],
                        default=None)
    if largest_janus is not None:
        figures["janus_all_viewers_with_picture"] = largest_janus["with_picture"] == largest_janus["viewers"]
        figures["janus_first_frame_max_s"] = largest_janus["first_frame_max_s"]
    emit("live_video", figures, {"janus_first_frame_max_s": {"max": 5.0},
                                 "mesh_limit_uploads": {"min": 8, "max": 8}})


if __name__ == "__main__":
    main()
