"""Old links keep working (issue 13, §2): a path naming an object answers 308 to the same path
under its event; a list path lets the person choose (or goes straight to their one event); an
office's page goes to their office."""

from __future__ import annotations

from datetime import timedelta

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.events.legacy import ORGANISATION_PATHS
from roadshow.extensions import db as _db
from roadshow.scheduling.models import PitchSession


def _application(event, user) -> Application:
    application = Application(event_id=event.id, applicant_id=user.id, status=ApplicationStatus.SUBMITTED)
    _db.session.add(application)
    _db.session.commit()
    return application


def test_an_object_path_answers_308_to_the_same_path_under_its_event(login_as, make_event, make_user):
    client, judge = login_as("applicant")
    first, second = make_event(slug="roadshow-2025"), make_event(slug="roadshow-2026")
    application = _application(second, make_user("applicant", email="daniel@example.org"))
    response = client.get(f"/review/queue/{application.id}?tab=scores")
    assert response.status_code == 308
    assert response.headers["Location"] == f"/e/roadshow-2026/review/queue/{application.id}?tab=scores"
    posted = client.post(f"/applications/{application.id}/withdraw", data={"reason": "x"})
    assert posted.status_code == 308  # method and body kept
    assert posted.headers["Location"] == f"/e/roadshow-2026/applications/{application.id}/withdraw"
    assert first.slug not in response.headers["Location"]


def test_event_paths_of_one_event_roadshow_move_under_the_slug(login_as, make_event):
    client, _ = login_as("organizer")
    event = make_event(slug="xuzhou-cloud-roadshow")
    assert client.get(f"/events/{event.id}").headers["Location"] == "/e/xuzhou-cloud-roadshow"
    assert client.get(f"/events/{event.id}/edit").headers["Location"] == "/e/xuzhou-cloud-roadshow/edit"
    assert client.get(f"/apply/{event.id}").headers["Location"] == "/e/xuzhou-cloud-roadshow/apply"
    assert client.get(f"/schedule/events/{event.id}.ics").headers["Location"] == \
        "/e/xuzhou-cloud-roadshow/schedule.ics"


def test_a_session_of_the_live_room_and_the_schedule_resolves_its_event(login_as, make_event):
    client, _ = login_as("applicant")
    event = make_event(slug="roadshow-2026")
    start = utcnow() + timedelta(days=3)
    pitch = PitchSession(event_id=event.id, title_zh="第一场", title_en="One", starts_at=start,
                         ends_at=start + timedelta(hours=2))
    _db.session.add(pitch)
    _db.session.commit()
    assert client.get(f"/live/{pitch.id}").headers["Location"] == f"/e/roadshow-2026/live/{pitch.id}"
    assert client.get(f"/schedule/sessions/{pitch.id}.ics").headers["Location"] == \
        f"/e/roadshow-2026/schedule/sessions/{pitch.id}.ics"


def test_an_unknown_object_or_an_unpublished_event_of_others_is_404(login_as, make_event):
    client, _ = login_as("applicant")
    hidden = make_event(published=False)
    assert client.get("/signing/intents/999999").status_code == 404
    assert client.get(f"/events/{hidden.id}").status_code == 404


def test_anonymous_visitors_are_asked_to_sign_in_first(client, make_event):
    event = make_event()
    response = client.get(f"/events/{event.id}/edit")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_old_public_links_still_open_for_anonymous_visitors(client, make_event):
    event = make_event(slug="roadshow-poster")
    hidden = make_event(slug="not-yet", published=False)
    response = client.get(f"/events/{event.id}")
    assert (response.status_code, response.headers["Location"]) == (308, "/e/roadshow-poster")
    assert client.get(f"/apply/{event.id}").headers["Location"] == "/e/roadshow-poster/apply"
    assert client.get(f"/schedule/events/{event.id}.ics").headers["Location"] == \
        "/e/roadshow-poster/schedule.ics"
    assert client.get(f"/events/{hidden.id}").status_code == 404  # nothing about it leaks
    assert client.get("/events/2147483647").status_code == 404


def test_a_list_path_goes_straight_to_the_only_event_holding_that_page(login_as, make_event, grant):
    client, judge = login_as("applicant")
    mine, other = make_event(slug="judged"), make_event(slug="applied-to")
    grant(judge, mine, Role.JUDGE)
    _application(other, judge)
    response = client.get("/review/queue")
    assert response.headers["Location"] == "/my/events?next=/review/queue"
    chosen = client.get("/my/events?next=/review/queue")
    assert chosen.status_code == 302
    assert chosen.headers["Location"] == "/e/judged/review/queue"


def test_a_list_path_lists_the_events_when_several_hold_it(login_as, make_event, grant):
    client, judge = login_as("applicant")
    events = [make_event(slug="judged-2025", title_en="Roadshow 2025"),
              make_event(slug="judged-2026", title_en="Roadshow 2026")]
    for event in events:
        grant(judge, event, Role.JUDGE)
    page = client.get("/my/events?next=/review/queue")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'href="/e/judged-2025/review/queue"' in text
    assert 'href="/e/judged-2026/review/queue"' in text
    client.post("/language", data={"locale": "zh_Hans_CN", "next": "/"})
    assert "请选择活动" in client.get("/my/events?next=/review/queue").get_data(as_text=True)


def test_an_offsite_next_is_ignored(login_as, make_event):
    client, user = login_as("applicant")
    event = make_event(title_en="Applied Roadshow")
    _application(event, user)
    page = client.get("/my/events?next=//evil.example/x").get_data(as_text=True)
    assert "Applied Roadshow" in page
    assert f"/e/{event.slug}//evil.example" not in page


def test_an_offices_old_page_goes_to_the_organizers_office(login_as):
    client, _ = login_as("organizer")
    response = client.get("/events/manage?page=2")
    assert response.status_code == 308
    assert response.headers["Location"] == "/o/test-office/events?page=2"
    assert client.get("/events/new").headers["Location"] == "/o/test-office/events/new"
    assert client.get("/organizer/people?q=wang").headers["Location"] == "/o/test-office/people?q=wang"
    assert client.get("/districts/").headers["Location"] == "/o/test-office/districts"


def test_the_offices_old_paths_map_to_the_same_pages_under_the_office():
    def moved(path):
        for pattern, rewrite in ORGANISATION_PATHS:
            match = pattern.match(path)
            if match:
                return rewrite(match)
        return None

    assert moved("/organizer/people") == "/people"
    assert moved("/organizer/people/7/deactivate") == "/people/7/deactivate"
    assert moved("/organizer/invitations") == "/invitations"
    assert moved("/districts/") == "/districts"
    assert moved("/districts/3/edit") == "/districts/3/edit"
    assert moved("/review/queue") is None


def test_an_organizer_of_two_offices_chooses_one(login_as, make_organisation):
    client, organizer = login_as("organizer")
    make_organisation(organizers=(organizer,), slug="xiao-county", name_en="Xiao County Office")
    response = client.get("/events/manage")
    assert response.headers["Location"] == "/my/events?next=/events&office=1"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="/o/xiao-county/events"' in page
    assert 'href="/o/test-office/events"' in page


def test_the_personal_feed_keeps_its_global_address(login_as):
    client, _ = login_as("applicant")
    response = client.get("/schedule/feed")
    assert response.status_code == 200
