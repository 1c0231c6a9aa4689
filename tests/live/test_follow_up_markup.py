"""What people type into a follow-up (the district's note, the applicant's answer) and their
names are shown as text wherever they are echoed: the answer page (also when it comes back with
a refused time), the dashboard and every role's docking board never run them as markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from roadshow.extensions import db
from tests.live.test_follow_up import ask_for_a_talk
from tests.many_events_fixtures import event_url

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_notes_and_names_are_echoed_as_text(roadshow, connect, login_as):
    applicant = roadshow.presenters[0]
    applicant.name = "Ada " + PAYLOAD
    roadshow.recruiter.name = "Rec " + PAYLOAD
    db.session.commit()
    request = ask_for_a_talk(roadshow, connect, note="Note " + PAYLOAD)
    client, _ = login_as(applicant)
    when = (datetime.now(UTC) + timedelta(days=3)).astimezone(ZoneInfo(applicant.timezone))
    pages = [client.get(event_url(roadshow.event, f"/live/docking/{request.id}/answer")).get_data(as_text=True),
             client.get("/dashboard").get_data(as_text=True)]
    response = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "proposed", "time_1": when.strftime("%Y-%m-%dT%H:%M"), "time_2": PAYLOAD,
        "note": "Answer " + PAYLOAD})
    pages.append(response.get_data(as_text=True))  # time_2 is refused: the form comes back
    assert response.status_code == 200
    assert client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "proposed", "time_1": when.strftime("%Y-%m-%dT%H:%M"),
        "note": "Answer " + PAYLOAD}).status_code == 302
    for someone in (roadshow.recruiter, roadshow.organizer, applicant):
        viewer, _ = login_as(someone)
        pages.append(viewer.get(event_url(roadshow.event, "/live/docking")).get_data(as_text=True))
    for page in pages:
        assert "<script>alert" not in page
        assert "onerror=alert" not in page.replace("onerror=alert(2)&gt;", "")
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in page for page in pages)
