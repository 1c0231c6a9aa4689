"""Captions of a pitch recorded on a real Janus: the presenter (an aiortc publisher) is recorded,
a line is typed in the room a moment into the recording, the host calls the next item (post-
processing by janus-pp-rec); the ready recording's page offers the line as a WebVTT cue timed
from the recording's start, and a line typed after the pitch is not among its captions."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import webvtt

from roadshow.extensions import db
from roadshow.live import recordings
from roadshow.live.janus import Janus
from roadshow.live.models import CaptionCue, LiveRecording, LiveRoom, RecordingStatus
from tests.live.conftest import act, hello
from tests.live.janus_process import ADMIN_KEY, janus_server  # noqa: F401 - the fixture
from tests.live.test_janus_mute import publishing, wait_for_streams  # noqa: F401 - the fixture
from tests.many_events_fixtures import event_url

pytestmark = pytest.mark.slow
#: how long the pitch goes on before the caption line is typed
TYPED_AFTER_S = 1.5


@pytest.fixture
def app_config(app_config: dict[str, Any], janus_server, tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    app_config["JANUS_URL"] = janus_server.url
    app_config["JANUS_ADMIN_KEY"] = ADMIN_KEY
    app_config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    return app_config


def test_a_line_typed_during_a_recorded_pitch_is_its_timed_caption(roadshow, connect, app,
                                                                    login_as, publishing):  # noqa: F811
    if shutil.which(recordings.POST_PROCESSOR) is None:
        pytest.skip("janus-pp-rec is not installed (apt-get install janus-tools)")
    recordings.set_enabled(db.session, roadshow.event, True, roadshow.organizer)
    presenter_user, application = roadshow.presenters[0], roadshow.applications[0]
    recordings.answer_consent(db.session, application, presenter_user, True)
    db.session.commit()
    host = connect(roadshow.organizer, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]
    presenter = connect(presenter_user, roadshow.session)
    assert hello(presenter)["video"]["backend"] == "janus"
    assert act(presenter, "rtc_publish")["ok"]
    room = db.session.query(LiveRoom).filter_by(session_id=roadshow.session.id).one()
    janus = Janus(app.config["JANUS_URL"], app.config["SECRET_KEY"], admin_key=ADMIN_KEY)
    publishing(app.config["SECRET_KEY"], room.id, presenter_user.id)
    wait_for_streams(janus, room.id, presenter_user.id)
    assert act(presenter, "rtc_publish", ready=True)["ok"]
    recording = db.session.query(LiveRecording).one()
    assert recording.status == RecordingStatus.RECORDING

    time.sleep(TYPED_AFTER_S)
    assert act(presenter, "video_caption", text="Ten years on one battery")["ok"]
    time.sleep(1.0)
    assert act(host, "stage", command="next")["ok"]
    assert act(host, "video_caption", text="Thank you, next project")["ok"]

    db.session.expire_all()
    recording = db.session.get(LiveRecording, recording.id)
    assert recording.status == RecordingStatus.READY, recording.error
    [cue] = db.session.query(CaptionCue).all()
    assert (cue.recording_id, cue.text) == (recording.id, "Ten years on one battery")

    judge, _ = login_as(roadshow.judge)
    page = judge.get(event_url(roadshow.event, f"/live/recordings/{recording.id}")).get_data(
        as_text=True)
    assert 'srclang="en" label="English captions"' in page
    [video] = [f["name"] for f in recording.files if f["kind"] == "video"]
    assert f'/live/recordings/{recording.id}/{video}" type="video/webm"' in page
    served = judge.get(event_url(roadshow.event,
                                 f"/live/recordings/{recording.id}/captions/en.vtt"))
    [caption] = webvtt.from_buffer(io.StringIO(served.get_data(as_text=True))).captions
    length_ms = (recording.ended_at - recording.started_at).total_seconds() * 1000
    assert TYPED_AFTER_S * 1000 <= caption.start_time.in_milliseconds() < length_ms
    assert caption.end_time.in_milliseconds() <= max(length_ms,
                                                     caption.start_time.in_milliseconds() + 1000)
    assert caption.text == "Ten years on one battery"
