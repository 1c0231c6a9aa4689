"""A sealed intent's project walking its milestones: evidence from the unit, confirmation by an
organizer, each confirmation an entry of the intent's hash-chained audit trail."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from roadshow.extensions import db as _db
from roadshow.outcomes import milestones as work
from roadshow.outcomes.models import MilestoneState
from roadshow.outcomes.projects import OutcomeError, OutcomeForbiddenError
from roadshow.outcomes.rules import CONFIRMED_ACTION, DEFAULT_MILESTONES
from roadshow.signing import audit_trail
from tests.outcomes.conftest import PDF, organizer_grant, unit_grant, walk


def test_sealing_an_intent_opens_its_project_with_the_default_milestones(sealed):
    intent, p, project = sealed()
    assert [m.code for m in project.milestones] == [d.code for d in DEFAULT_MILESTONES]
    assert {m.responsible_district_id for m in project.milestones} == {p.district.id}
    deadlines = [m.due_on for m in project.milestones]
    assert deadlines == sorted(deadlines)
    assert all(m.state == MilestoneState.OPEN for m in project.milestones)


def test_a_sealed_intent_walks_its_milestones_into_the_audit_trail(sealed):
    intent, p, project = sealed()
    before = intent.audit_count
    first = project.milestones[0]
    work.submit_evidence(_db.session, first, p.recruiter, unit_grant(p.district.id),
                         work.Evidence(note="营业执照已办理", registered_capital_cny=5_000_000,
                                       uploads=(("执照.pdf", PDF),)))
    _db.session.commit()
    assert first.state == MilestoneState.SUBMITTED
    assert first.documents[0].original_name == "执照.pdf"
    assert work.document_store().read(first.documents[0].stored_name) == PDF
    work.confirm(_db.session, first, p.organizer, organizer_grant(),
                 audit_trail.RequestInfo("203.0.113.9", "pytest"))
    _db.session.commit()
    _db.session.refresh(intent)
    assert intent.audit_count == before + 1
    entry = audit_trail.trail_entries(_db.session, intent)[-1]
    assert entry.action == CONFIRMED_ACTION
    recorded = entry.details["milestone"]
    assert recorded["id"] == first.id
    assert recorded["registered_capital_cny"] == 5_000_000
    assert recorded["documents"] == [["执照.pdf", first.documents[0].sha256, len(PDF)]]
    assert recorded["confirmed_by_id"] == p.organizer.id
    assert first.audit_seq == entry.seq
    assert audit_trail.verify_intent_chain(_db.session, intent) == []
    for milestone in project.milestones[1:]:
        walk(milestone, p, amount=1_000_000, people=3)
    assert project.landed_at is not None
    assert audit_trail.verify_intent_chain(_db.session, intent) == []


def test_a_unit_may_not_send_evidence_for_another_units_milestone(sealed, make_district):
    _intent, p, project = sealed()
    other = make_district(code="other")
    with pytest.raises(OutcomeForbiddenError):
        work.submit_evidence(_db.session, project.milestones[0], p.recruiter, unit_grant(other.id),
                             work.Evidence(note="x"))


def test_confirming_needs_evidence_and_an_organizer(sealed):
    _intent, p, project = sealed()
    milestone = project.milestones[0]
    with pytest.raises(OutcomeError):
        work.confirm(_db.session, milestone, p.organizer, organizer_grant(),
                     audit_trail.RequestInfo.system())
    with pytest.raises(OutcomeError):
        work.submit_evidence(_db.session, milestone, p.recruiter, unit_grant(p.district.id),
                             work.Evidence())
    work.submit_evidence(_db.session, milestone, p.recruiter, unit_grant(p.district.id),
                         work.Evidence(note="done"))
    with pytest.raises(OutcomeForbiddenError):
        work.confirm(_db.session, milestone, p.recruiter, unit_grant(p.district.id),
                     audit_trail.RequestInfo.system())


def test_a_confirmed_milestone_can_no_longer_change(sealed):
    _intent, p, project = sealed()
    milestone = walk(project.milestones[0], p)
    with pytest.raises(OutcomeError):
        work.submit_evidence(_db.session, milestone, p.recruiter, unit_grant(p.district.id),
                             work.Evidence(note="changed"))


def test_tampering_with_a_confirmed_milestone_is_detected_by_verify_chain(sealed, runner):
    intent, p, project = sealed()
    milestone = walk(project.milestones[0], p, amount=2_000_000)
    result = runner.invoke(args=["signing", "verify-chain"])
    assert result.exit_code == 0, result.output
    _db.session.execute(text("UPDATE outcome_milestones SET amount_cny = 20000000 WHERE id = :id"),
                        {"id": milestone.id})
    _db.session.commit()
    result = runner.invoke(args=["signing", "verify-chain"])
    assert result.exit_code == 1
    assert f"{intent.reference}: BROKEN" in result.output
    assert "differs from its confirmation (amount_cny)" in result.output


def test_rewriting_a_milestones_entry_breaks_the_chain(sealed, runner):
    intent, p, project = sealed()
    walk(project.milestones[0], p, amount=2_000_000)
    entry = audit_trail.trail_entries(_db.session, intent)[-1]
    details = dict(entry.details)
    details["milestone"] = {**details["milestone"], "amount_cny": 9}
    _db.session.execute(text("UPDATE signing_audit SET details = :d WHERE id = :id"),
                        {"d": json.dumps(details), "id": entry.id})
    _db.session.commit()
    result = runner.invoke(args=["signing", "verify-chain"])
    assert result.exit_code == 1
    assert "its content no longer matches its hash" in result.output


def test_a_milestone_marked_confirmed_outside_roadshow_is_detected(sealed):
    intent, _p, project = sealed()
    _db.session.execute(text("UPDATE outcome_milestones SET state = 'confirmed' WHERE id = :id"),
                        {"id": project.milestones[1].id})
    _db.session.commit()
    _db.session.expire_all()
    problems = audit_trail.verify_intent_chain(_db.session, intent)
    assert any("without its entry in the trail" in str(problem) for problem in problems)
