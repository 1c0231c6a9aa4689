"""A job's page, its JSON and the jobs list show what a failure recorded (its technical detail,
the name of who started it) as text: nothing a failure or a name holds runs as markup, and the
JSON a page polls carries the translated reason only, never the technical detail."""

from __future__ import annotations

from roadshow.extensions import db
from roadshow.jobs import services

PAYLOAD = '</pre><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_a_failure_and_a_name_are_shown_as_text(login_as, make_user):
    organizer = make_user("organizer", name="Org " + PAYLOAD)
    job, _created = services.start(db.session, organizer, "no-such-kind", params={})
    db.session.commit()
    services.fail(db.session, job.id, "unexpected", "ValueError(" + PAYLOAD + ")")
    client, _ = login_as(organizer)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    listing = client.get("/jobs/").get_data(as_text=True)
    progress = client.get(f"/jobs/{job.id}.json")
    for text in (page, listing):
        assert "<script>alert" not in text
        assert "onerror=alert(2)>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    body = progress.get_json()
    assert "ValueError" not in progress.get_data(as_text=True)
    assert body["error"].startswith("Something went wrong on our side.")
