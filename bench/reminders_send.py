"""Benchmark: 10,000 reminders due in the same minute, sent by the job queue's worker.

Builds a fresh SQLite instance with one event of 10,000 finalists (four zones, half of them
reading Chinese) whose pitches all start a day from now, so each one's day-before reminder is
due at once; starts a real SMTP server (aiosmtpd on loopback) and one ``roadshow jobs worker``
process on the embedded (SQLite) queue, whose first periodic run sends them: each through
``notify()``, stored for the centre and mailed in its reader's language and zone. Meanwhile, as
one of the finalists, asks for their notification centre and measures how fast it answers.

Figures: seconds from the worker's start to the last mail the SMTP server received (target:
within 60 s), mails per second, the centre's median latency while they go out (target: under
100 ms), and that the next minute's run sends none again. ``--quick`` sends 1,000.

    .venv/bin/python bench/reminders_send.py [--count 10000 | --quick]
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402

from bench._report import emit, print_table, summary_ms  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Bench-reminders-2026"  # noqa: S105 - the benchmark's own throwaway account
ZONES = ("Asia/Shanghai", "America/New_York", "Australia/Sydney", "Europe/Berlin")


class Sink:
    """An SMTP server that counts what it receives and when the last one came (in counters
    shared with the benchmark when it runs in a process of its own)."""

    def __init__(self, received=None, last=None, first=None) -> None:  # noqa: ANN001
        self._received = received if received is not None else multiprocessing.Value("i", 0)
        self._last = last if last is not None else multiprocessing.Value("d", 0.0)
        self._first = first if first is not None else multiprocessing.Value("d", 0.0)

    @property
    def first(self) -> float:
        return float(self._first.value)

    @property
    def received(self) -> int:
        return int(self._received.value)

    @property
    def last(self) -> float:
        return float(self._last.value)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's hook
        with self._received.get_lock():
            self._received.value += 1
            self._last.value = time.monotonic()
            if self._received.value == 1:
                self._first.value = self._last.value
        return "250 OK"


def serve_smtp(port: int, received, last, first, stop) -> None:  # noqa: ANN001
    """The SMTP server in its own process, as a real one is: the benchmark's page requests
    must not hold up its answers (nor it theirs)."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per connection
    smtp = Controller(Sink(received, last, first), hostname="127.0.0.1", port=port)
    smtp.start()
    stop.wait()
    smtp.stop()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(app, count: int) -> tuple[str, float]:  # noqa: ANN001
    """One office, one event, ``count`` finalists each with a pitch a day from now (less a few
    seconds: due at once), in 100 published sessions. Returns the first finalist's email and
    how long seeding took."""
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.db import Base, utcnow
    from roadshow.events.models import Event
    from roadshow.extensions import db
    from roadshow.organisations.models import Organisation, OrganisationKind
    from roadshow.scheduling.models import PitchSession, SessionStatus, Slot

    started = time.monotonic()
    with app.app_context():
        Base.metadata.create_all(db.engine)
        session = db.session
        office = Organisation(slug="bench-office", kind=OrganisationKind("city_office"),
                              name_zh="人才办", name_en="Talent Office")
        # no live rooms: each finalist is due the day-before pitch reminder alone (a live
        # event's finalists would be due the room's device check in that minute too)
        event = Event(slug="bench-roadshow", title_zh="云端路演 2026", title_en="Cloud Roadshow 2026",
                      organisation=office, stage_live=False)
        session.add(event)
        session.commit()
        password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        now = utcnow()
        session.execute(insert(User), [
            {"email": f"finalist{i}@example.org", "password_hash": password, "role": Role.APPLICANT,
             "name": f"Finalist {i}", "locale": "zh_Hans_CN" if i % 2 else "en",
             "timezone": ZONES[i % len(ZONES)], "email_verified_at": now}
            for i in range(count)])
        user_ids = list(session.scalars(select(User.id).order_by(User.id)))
        session.execute(insert(Application), [
            {"event_id": event.id, "applicant_id": user_id, "status": ApplicationStatus.FINALIST,
             "title_en": f"Project {n}", "title_zh": f"项目{n}"}
            for n, user_id in enumerate(user_ids)])
        application_ids = list(session.scalars(select(Application.id).order_by(Application.id)))
        at = utcnow() + timedelta(hours=24) - timedelta(seconds=30)
        sessions = [PitchSession(event_id=event.id, title_zh=f"第{n}场", title_en=f"Session {n}",
                                 starts_at=at, ends_at=at + timedelta(hours=3),
                                 status=SessionStatus.PUBLISHED) for n in range(100)]
        session.add_all(sessions)
        session.flush()
        session.execute(insert(Slot), [
            {"session_id": sessions[n % 100].id, "application_id": application_id,
             "starts_at": at, "ends_at": at + timedelta(minutes=20), "position": n // 100}
            for n, application_id in enumerate(application_ids)])
        session.commit()
    return "finalist0@example.org", time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1,000 reminders")
    args = parser.parse_args()
    count = 1_000 if args.quick else args.count
    workdir = Path(tempfile.mkdtemp(prefix="roadshow-bench-reminders-"))
    logging.getLogger("roadshow.mail").setLevel(logging.WARNING)  # a kept message's whole text
    sink, port, stop = Sink(), free_port(), multiprocessing.Event()
    smtp = multiprocessing.get_context("fork").Process(
        target=serve_smtp, args=(port, sink._received, sink._last, sink._first, stop), daemon=True)
    smtp.start()
    env = {"ROADSHOW_INSTANCE_PATH": str(workdir / "instance"), "ROADSHOW_REDIS_URL": "",
           "ROADSHOW_DATABASE_URL": f"sqlite:///{workdir / 'instance' / 'roadshow.db'}"}
    os.environ.update(env)
    (workdir / "instance").mkdir(parents=True, exist_ok=True)

    from roadshow import create_app
    from roadshow.extensions import db
    from roadshow.notifications.models import Notification
    from roadshow.reminders.sending import send_due

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SMTP_HOST": None})
    email, seeded = seed(app, count)
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    client.get("/notifications")  # warm the page's templates before timing it

    worker_env = {**os.environ, "ROADSHOW_SMTP_HOST": "127.0.0.1",
                  "ROADSHOW_SMTP_PORT": str(port)}
    started = time.monotonic()
    worker = subprocess.Popen(
        [sys.executable, "-c", "from roadshow.cli import main; main()", "jobs", "worker"],
        env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pages: list[float] = []
    deadline = started + (180 if args.quick else 900)
    try:
        while sink.received < count and time.monotonic() < deadline:
            t = time.monotonic()
            response = client.get("/notifications")
            if sink.received:  # while they go out (not the worker's start-up)
                pages.append(time.monotonic() - t)
            assert response.status_code == 200, response.status_code
            time.sleep(0.05)
        took = sink.last - started
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(30)
    again = None
    try:
        if sink.received >= count:
            with app.app_context():  # the next minute's run, at once: it must send none again
                again = send_due(db.session)
                db.session.commit()
            again += sink.received - count
    finally:
        stop.set()
        smtp.join(10)
    with app.app_context():
        stored = db.session.query(Notification).count()
    page = summary_ms(pages) if pages else {"median_ms": None, "p95_ms": None}
    rows = [{"reminders": count, "seeded_s": round(seeded, 1), "smtp_received": sink.received,
             "notifications": stored, "first_mail_s": round(sink.first - started, 1),
             "sent_s": round(took, 1),
             "per_s": round(count / took, 1) if took > 0 else None, "resent": again,
             "page_samples": len(pages), "page_median_ms": page["median_ms"],
             "page_p95_ms": page["p95_ms"]}]
    print_table("Reminders due in the same minute, sent by the worker (SQLite queue, real SMTP)", rows)
    emit("reminders_send", {
        "reminders": count, "smtp_received": sink.received, "notifications": stored,
        "seconds_to_first_mail": rows[0]["first_mail_s"],
        "seconds_to_last_mail": round(took, 1), "mails_per_second": rows[0]["per_s"],
        "resent_next_minute": again, "page_median_ms": page["median_ms"],
        "page_p95_ms": page["p95_ms"]},
        {"seconds_to_last_mail": {"max": 60.0}, "page_median_ms": {"max": 100.0},
         "resent_next_minute": {"max": 0}})


if __name__ == "__main__":
    main()
