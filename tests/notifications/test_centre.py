"""The notification centre: the unread count on every page, marking read, following links, and
nobody else's notifications."""

from __future__ import annotations

import re

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.notifications import services
from roadshow.notifications.models import Notification
from tests.many_events_fixtures import build_event


def _tell(user, event, n=1):
    rows = []
    for i in range(n):
        rows.append(services.notify(
            db.session, user, "judge_assigned", url=f"/e/{event.slug}/review/queue",
            params={"num": i + 1, "event_zh": event.title_zh, "event_en": event.title_en},
            event_id=event.id))
    db.session.commit()
    return rows


def _badge(page: str) -> str | None:
    found = re.search(r'Notifications <span class="badge[^>]*>(\d+)', page)
    return found.group(1) if found else None


def test_every_page_shows_how_many_are_unread(app, login_as):
    event = build_event(db.session)
    client, judge = login_as(Role.JUDGE)
    assert _badge(client.get("/dashboard").get_data(as_text=True)) is None
    _tell(judge, event, 3)
    assert _badge(client.get("/dashboard").get_data(as_text=True)) == "3"
    assert _badge(client.get("/applications/mine").get_data(as_text=True)) == "3"
    assert 'href="/notifications"' in client.get("/dashboard").get_data(as_text=True)


def test_following_a_notification_marks_it_read_and_opens_its_page(app, login_as):
    event = build_event(db.session)
    client, judge = login_as(Role.JUDGE)
    first, second = _tell(judge, event, 2)
    response = client.get(f"/notifications/{first.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/e/{event.slug}/review/queue"
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None
    assert db.session.get(Notification, second.id).read_at is None
    assert _badge(client.get("/dashboard").get_data(as_text=True)) == "1"


def test_unread_come_first_and_all_can_be_marked_read(app, login_as):
    event = build_event(db.session)
    client, judge = login_as(Role.JUDGE)
    older, newer = _tell(judge, event, 2)
    client.post(f"/notifications/{newer.id}/read")
    page = client.get("/notifications").get_data(as_text=True)
    assert "1 unread of 2." in page
    assert page.index(f"/notifications/{older.id}\"") < page.index(f"/notifications/{newer.id}\"")
    response = client.post("/notifications/read-all", follow_redirects=True)
    assert "One notification marked as read." in response.get_data(as_text=True)
    assert services.unread_count(db.session, judge) == 0


def test_someone_elses_notification_is_not_found(app, login_as, make_user):
    event = build_event(db.session)
    other = make_user(Role.JUDGE)
    [theirs] = _tell(other, event)
    client, _me = login_as(Role.JUDGE)
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None
    assert f"/notifications/{theirs.id}\"" not in client.get("/notifications").get_data(as_text=True)


def test_a_link_that_leaves_roadshow_is_not_followed(app, login_as):
    client, judge = login_as(Role.JUDGE)
    row = services.notify(db.session, judge, "judge_assigned", url="//evil.example/x",
                          params={"num": 1, "event_zh": "甲", "event_en": "A"})
    db.session.commit()
    assert client.get(f"/notifications/{row.id}").headers["Location"] == "/"


def test_the_preferences_page_saves_choices_and_keeps_essential_kinds(app, login_as):
    client, judge = login_as(Role.JUDGE)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert 'name="kind-judge_assigned"' in page
    assert 'name="kind-review_decision"' not in page  # essential: shown, not choosable
    assert "Always sent" in page
    response = client.post("/notifications/preferences",
                           data={"kind-judge_assigned": "digest", "kind-review_decision": "app"})
    assert response.status_code == 302
    choices = services.choices(db.session, judge)
    assert choices["judge_assigned"].value == "digest"
    assert choices["review_decision"].value == "both"


def test_a_choice_that_is_not_offered_is_refused_and_nothing_is_saved(app, login_as):
    client, judge = login_as(Role.JUDGE)
    response = client.post("/notifications/preferences",
                           data={"kind-judge_assigned": "app", "kind-docking_follow_up": "pigeon"})
    assert response.status_code == 400
    assert "choose one of the offered ways" in response.get_data(as_text=True)
    assert services.choices(db.session, judge)["judge_assigned"].value == "both"
