"""Benchmark: the calendar-invitation send as a background job, on the demo event.

Loads the demo (``roadshow demo``) into a fresh instance folder, forgets the invitations it
sent (so every finalist, judge and recruiter is invited again: about 160 messages), starts one
``roadshow jobs worker`` process delivering through a real SMTP server (aiosmtpd on loopback),
then, as the organizer, presses "send" and follows the progress endpoint until the job ends.

Figures: how long the press takes (it was one 7-second request before the queue), how long
the job takes from the press to its end, and how fast the progress endpoint answers while the
job runs in the other process. Targets: the press under 1 s, progress polls under 100 ms
median. ``--quick`` sends once; the full run sends three times.

    .venv/bin/python bench/jobs_invitations.py [--quick]
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402

from bench._report import emit, print_table, summary_ms  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ORGANIZER = ("organizer@example.org", "Roadshow-demo-2026")


class Sink:
    """An SMTP server that counts what it receives."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's hook
        self.received += 1
        return "250 OK"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    rounds = 1 if parser.parse_args().quick else 3
    workdir = Path(tempfile.mkdtemp(prefix="roadshow-bench-jobs-"))
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per connection
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {**os.environ, "ROADSHOW_INSTANCE_PATH": str(workdir / "instance"),
           "ROADSHOW_REDIS_URL": "", "ROADSHOW_DATABASE_URL": f"sqlite:///{workdir / 'instance' / 'roadshow.db'}"}
    subprocess.run([ROOT / ".venv/bin/roadshow", "demo"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ.update({k: v for k, v in env.items() if k.startswith("ROADSHOW_")})
    worker = subprocess.Popen(
        [sys.executable, "-c", "from roadshow.cli import main; main()", "jobs", "worker"],
        env={**env, "ROADSHOW_SMTP_HOST": "127.0.0.1", "ROADSHOW_SMTP_PORT": str(smtp.port)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    from roadshow import create_app
    from roadshow.extensions import db
    from roadshow.scheduling.models import CalendarInvite

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    client.post("/login", data={"email": ORGANIZER[0], "password": ORGANIZER[1]})
    rows, presses, runs, polls = [], [], [], []
    try:
        for round_ in range(1, rounds + 1):
            with app.app_context():
                db.session.execute(db.delete(CalendarInvite))
                db.session.commit()
            before = sink.received
            started = time.perf_counter()
            response = client.post("/schedule/manage/send")
            pressed = time.perf_counter() - started
            assert response.status_code == 302, response.status_code
            progress = response.headers["Location"] + ".json"
            mine = []
            while True:
                t = time.perf_counter()
                state = client.get(progress).get_json()
                mine.append(time.perf_counter() - t)
                if not state["active"]:
                    break
                time.sleep(0.1)
            took = time.perf_counter() - started
            assert state["status"] == "done", state
            presses.append(pressed)
            runs.append(took)
            polls.extend(mine)
            rows.append({"round": round_, "messages": state["total"], "press_ms": round(pressed * 1000, 1),
                         "job_s": round(took, 2), "polls": len(mine),
                         "poll_median_ms": summary_ms(mine)["median_ms"],
                         "smtp_received": sink.received - before})
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(30)
        smtp.stop()
    print_table("Sending the demo's calendar invitations as a job (worker process, real SMTP)", rows)
    emit("jobs_invitations", {
        "messages": rows[-1]["messages"], "rounds": rounds,
        "press_seconds_max": round(max(presses), 3),
        "job_seconds_median": round(sorted(runs)[len(runs) // 2], 2),
        "poll_median_ms": summary_ms(polls)["median_ms"], "poll_p95_ms": summary_ms(polls)["p95_ms"],
    }, {"press_seconds_max": {"max": 1.0}, "poll_median_ms": {"max": 100.0}})


if __name__ == "__main__":
    main()
