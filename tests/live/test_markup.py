"""The live room's markup passes the W3C Nu checker for every role (issue 12, item 22)."""

from __future__ import annotations

import pytest

from tests.many_events_fixtures import event_url
from tests.nu import nu_errors

pytestmark = pytest.mark.slow


def test_every_roles_room_page_is_valid_html(roadshow, login_as, db, tmp_path):
    roadshow.applications[0].video_url = "https://video.example.org/pitch"
    db.session.commit()
    pages = {}
    for who in ("organizer", "judge", "recruiter"):
        client, _user = login_as(getattr(roadshow, who))
        pages[who] = client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True)
    client, _user = login_as(roadshow.presenters[0])
    pages["presenter"] = client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True)
    assert nu_errors(pages, tmp_path) == {name: [] for name in pages}
