"""Benchmark: sealing and verifying intents of cooperation.

Creates intents sent for signing (a fresh SQLite file, twelve districts with a recruiter each),
has the first two parties sign, then measures for each intent:

* seal: the last signature, which completes the intent: the bilingual PDF with its signatures
  page and audit trail (CJK font subset embedded), the platform's PAdES seal, stored;
* verify: what the public verification page does with an uploaded copy: pyHanko validation
  against the platform certificate, and the lookup of the file's SHA-256.

Target: seal + verify under 0.5 s per intent (median, wall clock). The CPU time of sealing is
printed too: on a shared machine the wall clock also counts waiting for a core.
``--quick`` does 20 intents instead of 100.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._report import emit, print_table, summary_ms  # noqa: E402

TARGET_S = 0.5


def build(app, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    from werkzeug.security import generate_password_hash

    from roadshow.accounts.models import User
    from roadshow.accounts.roles import Role
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.db import utcnow
    from roadshow.demo import facts
    from roadshow.districts.models import District
    from roadshow.events.models import Event
    from roadshow.extensions import db
    from roadshow.signing import audit_trail, drafting, signatures

    session = db.session
    password = generate_password_hash("Bench-password-1", method="pbkdf2:sha256:1000")
    event = Event(timezone="Asia/Shanghai", **facts.EVENT)
    organizer = User(email="organizer@bench.example", password_hash=password, role=Role.ORGANIZER,
                     name="City Office", name_native="市人才办", email_verified_at=utcnow())
    session.add_all([event, organizer])
    districts, recruiters = [], []
    for code, name_zh, name_en, kind, *_rest in facts.DISTRICTS:
        district = District(code=code, name_zh=name_zh, name_en=name_en, kind=kind)
        recruiter = User(email=f"{code}@bench.example", password_hash=password,
                         role=Role.RECRUITER, name=f"Recruiter {code}", district=district,
                         email_verified_at=utcnow())
        districts.append(district)
        recruiters.append(recruiter)
    session.add_all(districts + recruiters)
    applications = []
    for i in range(count):
        applicant = User(email=f"talent{i}@bench.example", password_hash=password,
                         role=Role.APPLICANT, name=f"Talent {i}", name_native=f"人才{i}",
                         email_verified_at=utcnow())
        applications.append(Application(
            event=event, applicant=applicant, status=ApplicationStatus.FINALIST,
            title_en=f"High-energy low-temperature power batteries, line {i}",
            title_zh=f"高比能低温动力电池与材料科研测试产业化（第 {i} 条产线）",
        ))
    session.add_all(applications)
    session.commit()
    info = audit_trail.RequestInfo("203.0.113.5", "bench/1.0")
    ids = []
    for i, application in enumerate(applications):
        district, recruiter = districts[i % len(districts)], recruiters[i % len(recruiters)]
        intent = drafting.create_intent(
            session, organizer, application, district,
            drafting.default_draft(application, district), "sequential",
            {"district": recruiter.id, "city": organizer.id}, info)
        drafting.send_for_signing(session, organizer, intent, info, notify=False)
        for signer in intent.signers[:2]:
            signatures.apply_signature(session, intent, signer, info, typed_name=signer.user.name,
                                     signature_png=None, notify=False)
        ids.append(intent.id)
    session.commit()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 intents instead of 100")
    args = parser.parse_args()
    count = 20 if args.quick else 100
    logging.disable(logging.INFO)

    from roadshow import create_app
    from roadshow.db import Base
    from roadshow.extensions import db
    from roadshow.signing import audit_trail, signatures, verification
    from roadshow.signing.models import Intent

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "INSTANCE_PATH": f"{folder}/instance", "SECRET_KEY": "bench",
                          "SMTP_HOST": None})
        with app.app_context(), app.test_request_context():
            Base.metadata.create_all(db.engine)
            started = time.perf_counter()
            ids = build(app, count)
            print(f"built {count} intents in {time.perf_counter() - started:.1f} s")
            audit_trail.seal_identity()  # the key and certificate exist before timing
            seal_times, verify_times, sizes, seal_cpu = [], [], [], []
            info = audit_trail.RequestInfo("203.0.113.5", "bench/1.0")
            for done, intent_id in enumerate(ids, start=1):
                intent = db.session.get(Intent, intent_id)
                last = intent.signers[2]
                t0, c0 = time.perf_counter(), time.process_time()
                signatures.apply_signature(db.session, intent, last, info,
                                         typed_name=last.user.name, signature_png=None,
                                         notify=False)
                db.session.commit()
                t1, c1 = time.perf_counter(), time.process_time()
                data = audit_trail.sealed_pdf_of(db.session, intent)
                t2 = time.perf_counter()
                result = verification.verify_pdf(db.session, data)
                t3 = time.perf_counter()
                if not result.genuine:
                    raise SystemExit(f"intent {intent.reference} did not verify")
                seal_times.append(t1 - t0)
                seal_cpu.append(c1 - c0)
                verify_times.append(t3 - t2)
                sizes.append(len(data))
                if done % 10 == 0:
                    print(f"  sealed and verified {done}/{count}", flush=True)
    both = [s + v for s, v in zip(seal_times, verify_times, strict=True)]
    rows = [
        {"step": "seal (PDF + PAdES + store)", **summary_ms(seal_times)},
        {"step": "verify (pyHanko + lookup)", **summary_ms(verify_times)},
        {"step": "seal + verify", **summary_ms(both)},
        {"step": "seal, CPU time only", **summary_ms(seal_cpu)},
    ]
    print_table(f"{count} intents, sealed PDF median {statistics.median(sizes) / 1024:.0f} KiB", rows)
    figures = {
        "intents": count,
        "seal_median_s": round(statistics.median(seal_times), 3),
        "verify_median_s": round(statistics.median(verify_times), 3),
        "seal_and_verify_median_s": round(statistics.median(both), 3),
        "seal_and_verify_p95_s": round(sorted(both)[int(len(both) * 0.95) - 1], 3),
        "seal_cpu_median_s": round(statistics.median(seal_cpu), 3),
        "pdf_kib_median": round(statistics.median(sizes) / 1024, 1),
    }
    emit("signing_seal", figures, {"seal_and_verify_median_s": {"max": TARGET_S}})


if __name__ == "__main__":
    main()
