"""The demo step: sealed intents for several finalists, one in progress, one declined."""

from __future__ import annotations

from datetime import date

from roadshow.demo.context import DemoContext
from roadshow.extensions import db
from roadshow.signing import audit_trail, demo, parties_and_turns, verification
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent


def test_demo_signs_seals_and_leaves_some_open(parties, make_district, make_user):
    organizer = make_user("organizer", name="City Office")
    made = [parties(district=make_district(code=f"demo{i}", name_zh=f"板块{i}",
                                           name_en=f"District {i}"), organizer=organizer)
            for i in range(10)]
    ctx = DemoContext(session=db.session, today=date(2026, 6, 12))
    ctx.data.update(
        finalists=[p.application for p in made], organizer=organizer,
        districts=[p.district for p in made], recruiters=[p.recruiter for p in made],
        applicants=[made[0].applicant],
    )
    demo.load(ctx)
    db.session.commit()
    intents = db.session.query(Intent).all()
    completed = [i for i in intents if i.state == IntentState.COMPLETED]
    assert len(completed) == demo.SIGNED
    assert len({i.district_id for i in completed}) == demo.SIGNED
    assert all(verification.verify_pdf(db.session, audit_trail.sealed_pdf_of(db.session, i)).genuine
               for i in completed[:1])
    states = [i.state for i in intents]
    assert states.count(IntentState.DECLINED) == 1
    assert states.count(IntentState.OUT_FOR_SIGNATURE) == 2
    # the demo applicant's login finds an intent waiting for them
    assert parties_and_turns.waiting_on(made[0].applicant, intents)
    assert all(not problems for problems in audit_trail.verify_all_chains(db.session).values())
