"""Recordings of pitches are the event's judges', recruiters' and organizers' (and their
presenter's): every download goes through Roadshow's access check, another applicant and a
judge of another event get nothing; recording needs the organizer's switch and the presenter's
consent, which only the presenter gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.live import recordings
from roadshow.live.models import LiveRecording, RecordingConsent, RecordingStatus
from roadshow.organisations.models import EventRole
from tests.many_events_fixtures import event_url

VIDEO = b"\x1a\x45\xdf\xa3 a pitch in WebM"


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    app_config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    return app_config


def ready_recording(roadshow: Any, root: Path) -> LiveRecording:
    application = roadshow.applications[0]
    recording = LiveRecording(event_id=roadshow.event.id, session_id=roadshow.session.id,
                              application_id=application.id,
                              presenter_id=application.applicant_id, folder="",
                              status=RecordingStatus.READY)
    db.session.add(recording)
    db.session.flush()
    recording.folder = f"{roadshow.event.id}/{recording.id}"
    (root / recording.folder).mkdir(parents=True)
    (root / recording.folder / "pitch-video.webm").write_bytes(VIDEO)
    recording.files = [{"name": "pitch-video.webm", "kind": "video", "size": len(VIDEO)}]
    db.session.commit()
    return recording


def test_the_events_judge_downloads_and_others_get_nothing(roadshow, login_as, make_user, app,
                                                          make_organisation, make_event, grant):
    recording = ready_recording(roadshow, Path(app.config["RECORDINGS_DIR"]))
    url = event_url(roadshow.event, f"/live/recordings/{recording.id}/pitch-video.webm")
    listing = event_url(roadshow.event, "/live/recordings")
    for watcher in (roadshow.judge, roadshow.recruiter, roadshow.organizer, roadshow.presenters[0]):
        client, _ = login_as(watcher)
        response = client.get(url)
        assert response.status_code == 200, watcher.role
        assert response.data == VIDEO
        assert response.headers["Content-Type"] == "video/webm"
        response.close()
        assert "pitch-video.webm" in client.get(listing).get_data(as_text=True)

    # a judge of another event only: the recording exists, and they get nothing of it
    elsewhere = make_event(organisation=make_organisation())
    stranger = make_user(Role.JUDGE)
    db.session.execute(delete(EventRole).where(EventRole.user_id == stranger.id))
    grant(stranger, elsewhere, Role.JUDGE)
    for outsider in (roadshow.presenters[1], roadshow.outsider, stranger):
        client, _ = login_as(outsider)
        assert client.get(url).status_code in (403, 404), outsider.role
        assert "pitch-video.webm" not in client.get(listing).get_data(as_text=True)
    client, _ = login_as(roadshow.judge)
    assert client.get(event_url(roadshow.event, f"/live/recordings/{recording.id}/../../x.webm")
                      ).status_code == 404
    assert client.get(event_url(roadshow.event, f"/live/recordings/{recording.id}/other.webm")
                      ).status_code == 404


def test_only_the_organizer_switches_and_only_the_presenter_consents(roadshow, login_as):
    switch = event_url(roadshow.event, "/live/recordings/setting")
    judge, _ = login_as(roadshow.judge)
    assert judge.post(switch, data={"enabled": "1"}).status_code == 403
    assert not recordings.enabled(db.session, roadshow.event)
    organizer, _ = login_as(roadshow.organizer)
    assert organizer.post(switch, data={"enabled": "1"}).status_code == 302
    assert recordings.enabled(db.session, roadshow.event)
    assert not recordings.may_record(db.session, roadshow.event, roadshow.applications[0])

    consent = event_url(roadshow.event, f"/live/{roadshow.session.id}/recording-consent")
    someone, _ = login_as(roadshow.presenters[1])
    answer = {"application_id": roadshow.applications[0].id, "consent": "yes"}
    assert someone.post(consent, data=answer).status_code == 404
    assert db.session.query(RecordingConsent).count() == 0
    presenter, _ = login_as(roadshow.presenters[0])
    room = presenter.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True)
    assert "May your pitch be recorded?" in room
    assert presenter.post(consent, data=answer).status_code == 302
    assert recordings.may_record(db.session, roadshow.event, roadshow.applications[0])
    assert presenter.post(consent, data={**answer, "consent": "no"}).status_code == 302
    assert not recordings.may_record(db.session, roadshow.event, roadshow.applications[0])


def test_saying_no_while_recorded_stops_and_deletes_it(roadshow, login_as, app):
    recording = ready_recording(roadshow, Path(app.config["RECORDINGS_DIR"]))
    recording.status = RecordingStatus.RECORDING
    db.session.commit()
    folder = Path(app.config["RECORDINGS_DIR"]) / recording.folder
    presenter, _ = login_as(roadshow.presenters[0])
    consent = event_url(roadshow.event, f"/live/{roadshow.session.id}/recording-consent")
    assert presenter.post(consent, data={"application_id": roadshow.applications[0].id,
                                         "consent": "no"}).status_code == 302
    assert db.session.query(LiveRecording).count() == 0
    assert not folder.exists()
