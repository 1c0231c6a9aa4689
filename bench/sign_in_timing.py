"""Benchmark: does the time of a sign-in or a registration tell whether an address has an account?

Times ``POST /login`` with a wrong password for a known address and for an unknown one, and
``POST /register`` for a new address and for a taken one, through the real application (SQLite
in a temporary folder, real password hashes, rate limits off), interleaved so that drift hits
both alike. Target: each unknown/known ratio of medians between 0.8 and 1.25 (before issue 12,
item 16, an unknown address answered in about a quarter of the time). ``--quick`` takes fewer
samples.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._report import emit, print_table, summary_ms  # noqa: E402
from roadshow import create_app  # noqa: E402
from roadshow.accounts import services  # noqa: E402
from roadshow.accounts.roles import Role  # noqa: E402
from roadshow.extensions import db  # noqa: E402

PASSWORD = "Correct-horse-42"  # noqa: S105 - the benchmark account's
FORM = {"name": "Bench Person", "name_native": "", "password": "Analytical-Engine-1843",
        "confirm": "Analytical-Engine-1843", "locale": "en", "timezone": "Europe/London"}


def timed(client, path: str, data: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.post(path, data=data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    samples = 15 if args.quick else 60
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                          "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://",
                          "SMTP_HOST": None, "PUBLIC_BASE_URL": "http://localhost"})
        with app.app_context():
            db.create_all()
            services.create_user(db.session, email="known@example.org", password=PASSWORD,
                                 role=Role.APPLICANT, name="Known", verified=True)
            db.session.commit()
            client = app.test_client()
            timed(client, "/login", {"email": "warm@example.org", "password": "wrong-one-1"})
            times: dict[str, list[float]] = {"login known": [], "login unknown": [],
                                             "register new": [], "register taken": []}
            for n in range(samples):
                times["login known"].append(timed(client, "/login", {
                    "email": "known@example.org", "password": "wrong-one-1"}))
                times["login unknown"].append(timed(client, "/login", {
                    "email": f"nobody{n}@example.org", "password": "wrong-one-1"}))
                times["register new"].append(timed(client, "/register", {
                    **FORM, "email": f"new{n}@example.org"}))
                times["register taken"].append(timed(client, "/register", {
                    **FORM, "email": "known@example.org"}))
            db.session.remove()
            db.engine.dispose()
    print_table(f"Sign-in and registration timing ({samples} samples each)",
                [{"request": name, **summary_ms(values)} for name, values in times.items()])
    median = {name: statistics.median(values) for name, values in times.items()}
    figures = {
        "login_known_median_ms": round(median["login known"] * 1000, 2),
        "login_unknown_median_ms": round(median["login unknown"] * 1000, 2),
        "login_unknown_to_known": round(median["login unknown"] / median["login known"], 3),
        "register_new_median_ms": round(median["register new"] * 1000, 2),
        "register_taken_median_ms": round(median["register taken"] * 1000, 2),
        "register_taken_to_new": round(median["register taken"] / median["register new"], 3),
    }
    emit("sign_in_timing", figures, {"login_unknown_to_known": {"min": 0.8, "max": 1.25},
                                     "register_taken_to_new": {"min": 0.8, "max": 1.25}})


if __name__ == "__main__":
    main()
