"""Only the project's applicant answers a district's request, by GET or POST: another
applicant, a recruiter (of that district or another) and the organizer get 404 (a judge, who
takes no part in docking, 403) and change nothing; a recruiter of another district cannot arrange its meeting either."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from roadshow.extensions import db
from roadshow.live.models import DockingRequest
from tests.live.test_pages import docking_request
from tests.many_events_fixtures import event_url


def test_nobody_but_the_applicant_answers_or_sees_the_answer_page(roadshow, login_as, make_user,
                                                                  make_district):
    request = docking_request(roadshow)
    stranger = make_user("recruiter", district=make_district(code="pei", name_en="Pei County"))
    refusals = {roadshow.presenters[1]: 404, roadshow.outsider: 404, roadshow.recruiter: 404,
                stranger: 404, roadshow.organizer: 404,
                roadshow.judge: 403}  # judges take no part in docking at all
    for someone, status in refusals.items():
        client, _ = login_as(someone)
        assert client.get(event_url(roadshow.event, f"/live/docking/{request.id}/answer")).status_code == status
        response = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"),
                               data={"answer": "declined", "note": "not mine to say"})
        assert response.status_code == status
    db.session.expire_all()
    stored = db.session.get(DockingRequest, request.id)
    assert stored.answer is None
    assert stored.answer_note in (None, "")


def test_a_recruiter_of_another_district_cannot_arrange_the_meeting(roadshow, login_as, make_user,
                                                                   make_district):
    request = docking_request(roadshow)
    stranger = make_user("recruiter", district=make_district(code="pei", name_en="Pei County"))
    client, _ = login_as(stranger)
    when = datetime.now(UTC) + timedelta(days=3)
    response = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/meeting"), data={
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"), "minutes": "30", "url": ""})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(DockingRequest, request.id).meeting_starts_at is None
