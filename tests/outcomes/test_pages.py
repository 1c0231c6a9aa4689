"""The outcomes pages: a project's milestones walked through the forms, the public verification
page, a unit's own tasks only, and both languages."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from roadshow.extensions import db as _db
from roadshow.outcomes.models import MilestoneState, Task, TaskStatus
from tests.outcomes.conftest import PDF, project_of, walk

OFFICE = "/o/test-office/outcomes"


def test_the_unit_sends_evidence_and_the_organizer_confirms_through_the_pages(sealed, login_as):
    intent, p, project = sealed()
    unit, _ = login_as(p.recruiter)
    page = unit.get(f"{OFFICE}/intents/{intent.id}")
    assert page.status_code == 200
    assert "Company registered" in page.text
    assert "Send the evidence" in page.text
    first = project.milestones[0]
    refused = unit.post(f"{OFFICE}/milestones/{first.id}/evidence",
                        data={"note": "Licence issued", "amount_cny": "about 5 million"})
    assert refused.status_code == 400
    assert "enter a whole number" in refused.text
    assert "Licence issued" in refused.text
    sent = unit.post(f"{OFFICE}/milestones/{first.id}/evidence", data={
        "note": "Licence issued", "registered_capital_cny": "5,000,000",
        "documents": (io.BytesIO(PDF), "licence.pdf")}, content_type="multipart/form-data")
    assert sent.status_code == 302
    assert unit.post(f"{OFFICE}/milestones/{first.id}/confirm").status_code == 403
    office, _ = login_as(p.organizer)
    page = office.get(f"{OFFICE}/intents/{intent.id}")
    assert "licence.pdf" in page.text
    assert "5,000,000" in page.text
    document_id = project_of(intent).milestones[0].documents[0].id
    assert office.get(f"{OFFICE}/documents/{document_id}").data == PDF
    assert office.post(f"{OFFICE}/milestones/{first.id}/confirm").status_code == 302
    milestone = project_of(intent).milestones[0]
    assert milestone.state == MilestoneState.CONFIRMED
    assert milestone.audit_seq
    public = office.get(f"/verify-intent/{intent.public_id}")
    assert "Confirmed milestones of the project" in public.text
    assert "Company registered" in public.text
    by_hash = office.post("/verify-intent", data={"sha256": intent.sealed_sha256})
    assert "Confirmed milestones of the project" in by_hash.text
    # the intent's own page links its project's milestones
    intent_page = office.get(f"/e/{p.event.slug}/signing/intents/{intent.id}")
    assert f"{OFFICE}/intents/{intent.id}" in intent_page.text


def test_the_organizer_assigns_another_unit_and_deadline(sealed, login_as, make_district):
    intent, p, project = sealed()
    other = make_district(code="pei", name_zh="沛县", name_en="Pei County")
    office, _ = login_as(p.organizer)
    milestone = project.milestones[2]
    bad = office.post(f"{OFFICE}/milestones/{milestone.id}/assign",
                      data={"district": str(other.id), "due_on": "next week"})
    assert bad.status_code == 400
    assert "Enter the deadline as a date" in bad.text
    due = (datetime.now(UTC).date() + timedelta(days=9)).isoformat()
    ok = office.post(f"{OFFICE}/milestones/{milestone.id}/assign",
                     data={"district": str(other.id), "due_on": due})
    assert ok.status_code == 302
    changed = project_of(intent).milestones[2]
    assert changed.responsible_district_id == other.id
    assert changed.due_on.isoformat() == due


def test_a_unit_does_not_see_another_units_project(sealed, make_district, login_as, make_user):
    intent, _p, _project = sealed()
    other = make_district(code="other", name_zh="丰县", name_en="Feng County")
    stranger = make_user("recruiter", district=other)
    client, _ = login_as(stranger)
    assert client.get(f"{OFFICE}/intents/{intent.id}").status_code == 403
    listing = client.get(f"{OFFICE}/projects")
    assert listing.status_code == 200
    assert intent.reference not in listing.text


def test_a_unit_sees_and_updates_only_its_own_tasks(sealed, make_district, login_as, make_user):
    _intent, p, _project = sealed()
    other = make_district(code="feng", name_zh="丰县", name_en="Feng County")
    third = make_district(code="pei", name_zh="沛县", name_en="Pei County")
    office, _ = login_as(p.organizer)
    due = (datetime.now(UTC).date() - timedelta(days=3)).isoformat()
    assert office.post(f"{OFFICE}/tasks", data={"title": "Open the Shanghai talent station",
                                                "lead": str(p.district.id), "due_on": due,
                                                "members": [str(third.id)]}).status_code == 302
    assert office.post(f"{OFFICE}/tasks", data={"title": "Map the new-materials chain",
                                                "lead": str(other.id), "due_on": due}
                       ).status_code == 302
    refused = office.post(f"{OFFICE}/tasks", data={"title": "", "lead": str(other.id),
                                                   "due_on": due})
    assert refused.status_code == 400
    assert "Say what the task is" in refused.text
    ours = _db.session.query(Task).filter_by(title="Open the Shanghai talent station").one()
    theirs = _db.session.query(Task).filter_by(title="Map the new-materials chain").one()
    unit, _ = login_as(p.recruiter)
    listing = unit.get(f"{OFFICE}/tasks")
    assert "Open the Shanghai talent station" in listing.text
    assert "Map the new-materials chain" not in listing.text
    assert "1 task is overdue" in listing.text
    assert unit.get(f"{OFFICE}/tasks/{theirs.id}").status_code == 403
    assert unit.post(f"{OFFICE}/tasks/{theirs.id}", data={"status": "done"}).status_code == 403
    assert unit.post(f"{OFFICE}/tasks/{ours.id}", data={
        "status": "done", "evidence_note": "Opened on 3 May with 30 natives"}).status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Task, ours.id).status == TaskStatus.DONE
    # a member unit sees the task too
    member, _ = login_as(make_user("recruiter", district=third))
    assert "Open the Shanghai talent station" in member.get(f"{OFFICE}/tasks").text
    # a unit cannot plan
    assert unit.post(f"{OFFICE}/tasks", data={"title": "x", "lead": str(p.district.id),
                                              "due_on": due}).status_code == 403


def test_the_pages_speak_chinese(sealed, login_as, make_user):
    intent, p, project = sealed()
    walk(project.milestones[0], p, amount=1_000_000)
    organizer = make_user("organizer", locale="zh_Hans_CN")
    office, _ = login_as(organizer)
    page = office.get(f"{OFFICE}/intents/{intent.id}")
    assert page.status_code == 200, page.text
    assert "企业注册" in page.text
    assert "已确认" in page.text
    board = office.get(f"{OFFICE}/")
    assert "成果看板" in board.text
    assert "落地" in board.text
    assert "里程碑模板" in office.get(f"{OFFICE}/milestone-templates").text
    assert "跨单位任务" in office.get(f"{OFFICE}/tasks").text


def test_milestone_templates_are_the_offices_own(login_as, make_user):
    office, _ = login_as("organizer")
    page = office.get(f"{OFFICE}/milestone-templates")
    assert "Start from the defaults" in page.text
    assert office.post(f"{OFFICE}/milestone-templates", data={"action": "defaults"}).status_code == 302
    page = office.get(f"{OFFICE}/milestone-templates")
    assert "Talent on site" in page.text
    bad = office.post(f"{OFFICE}/milestone-templates", data={"name_zh": "首批产品下线",
                                                             "name_en": "", "due_days": "400"})
    assert bad.status_code == 400
    assert "首批产品下线" in bad.text
    ok = office.post(f"{OFFICE}/milestone-templates", data={
        "name_zh": "首批产品下线", "name_en": "First products made", "due_days": "400",
        "position": "6", "active": "on"})
    assert ok.status_code == 302
    assert "First products made" in office.get(f"{OFFICE}/milestone-templates").text


def test_the_organizer_changes_a_tasks_plan_and_a_refusal_keeps_the_input(sealed, login_as,
                                                                           make_district):
    _intent, p, _project = sealed()
    other = make_district(code="suining", name_zh="睢宁县", name_en="Suining County")
    office, _ = login_as(p.organizer)
    due = datetime.now(UTC).date() + timedelta(days=30)
    office.post(f"{OFFICE}/tasks", data={"title": "Sign the university agreement",
                                         "lead": str(p.district.id), "due_on": due.isoformat()})
    task = _db.session.query(Task).filter_by(title="Sign the university agreement").one()
    page = office.get(f"{OFFICE}/tasks/{task.id}")
    assert 'value="Sign the university agreement"' in page.text
    refused = office.post(f"{OFFICE}/tasks/{task.id}", data={
        "action": "plan", "title": "Sign the agreement with CUMT", "lead": str(other.id),
        "due_on": "soon"})
    assert refused.status_code == 400
    assert "Enter the deadline as a date" in refused.text
    assert 'value="Sign the agreement with CUMT"' in refused.text
    saved = office.post(f"{OFFICE}/tasks/{task.id}", data={
        "action": "plan", "title": "Sign the agreement with CUMT", "lead": str(other.id),
        "members": [str(p.district.id)], "due_on": due.isoformat()})
    assert saved.status_code == 302
    _db.session.expire_all()
    task = _db.session.get(Task, task.id)
    assert task.title == "Sign the agreement with CUMT"
    assert task.lead_district_id == other.id
    assert [d.id for d in task.members] == [p.district.id]


def test_a_districts_page_flags_its_late_milestones_and_tasks(sealed, login_as):
    _intent, p, project = sealed()
    project.milestones[0].due_on = datetime.now(UTC).date() - timedelta(days=2)
    _db.session.add(Task(organisation_id=p.district.organisation_id, year=2026,
                         title="Late task", lead_district_id=p.district.id,
                         due_on=datetime.now(UTC).date() - timedelta(days=1)))
    _db.session.commit()
    unit, _ = login_as(p.recruiter)
    page = unit.get(f"/o/test-office/districts/{p.district.id}")
    assert page.status_code == 200
    assert "1 milestone late" in page.text
    assert "1 task late" in page.text
    assert f"{OFFICE}/projects?district={p.district.id}" in page.text
