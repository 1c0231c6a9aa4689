"""A pitch recorded on a real Janus with its presenter's consent (roadshow.live.recordings):
without consent nothing is recorded; with it, the presenter on camera (an aiortc publisher) is
recorded until the host calls the next item, and the background job leaves one .webm holding a
VP8 picture and an Opus sound as long as the pitch (janus-pp-rec, then ffmpeg), or, when ffmpeg
is not installed, the .webm and the .opus janus-pp-rec made; the others' files (the host's) are
not kept."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from roadshow.live import recordings
from roadshow.live.janus import Janus
from roadshow.live.models import LiveRecording, LiveRoom, RecordingStatus
from tests.live.conftest import act, hello
from tests.live.janus_process import ADMIN_KEY, janus_server  # noqa: F401 - the fixture
from tests.live.test_janus_mute import publishing, wait_for_streams  # noqa: F401 - the fixture
from tests.live.test_recording_join import codecs, ffmpeg, probe

pytestmark = pytest.mark.slow


@pytest.fixture
def app_config(app_config: dict[str, Any], janus_server, tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    app_config["JANUS_URL"] = janus_server.url
    app_config["JANUS_ADMIN_KEY"] = ADMIN_KEY
    app_config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    return app_config


@pytest.mark.parametrize("muxer", ["ffmpeg", "missing"])
def test_only_a_consenting_presenter_is_recorded_and_post_processed(roadshow, connect, app,
                                                                     publishing, muxer,  # noqa: F811
                                                                     tmp_path):
    if shutil.which(recordings.POST_PROCESSOR) is None:
        pytest.skip("janus-pp-rec is not installed (apt-get install janus-tools)")
    app.config["FFMPEG"] = ffmpeg() if muxer == "ffmpeg" else str(tmp_path / "no-such-ffmpeg")
    recordings.set_enabled(db.session, roadshow.event, True, roadshow.organizer)
    db.session.commit()
    host = connect(roadshow.organizer, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]
    presenter_user, application = roadshow.presenters[0], roadshow.applications[0]
    presenter = connect(presenter_user, roadshow.session)
    assert hello(presenter)["video"]["backend"] == "janus"
    assert act(presenter, "rtc_publish")["ok"]
    room = db.session.query(LiveRoom).filter_by(session_id=roadshow.session.id).one()
    janus = Janus(app.config["JANUS_URL"], app.config["SECRET_KEY"], admin_key=ADMIN_KEY)
    publishing(app.config["SECRET_KEY"], room.id, presenter_user.id)
    wait_for_streams(janus, room.id, presenter_user.id)

    assert act(presenter, "rtc_publish", ready=True)["ok"]  # on camera, no consent yet
    assert db.session.query(LiveRecording).count() == 0

    recordings.answer_consent(db.session, application, presenter_user, True)
    db.session.commit()
    assert act(presenter, "rtc_publish", ready=True)["ok"]
    recording = db.session.query(LiveRecording).one()
    assert (recording.status, recording.presenter_id) == (RecordingStatus.RECORDING,
                                                          presenter_user.id)
    time.sleep(2.5)  # the pitch goes on for a moment
    assert act(host, "stage", command="next")["ok"]
    db.session.expire_all()
    recording = db.session.get(LiveRecording, recording.id)
    assert recording.status == RecordingStatus.READY, recording.error
    folder = Path(app.config["RECORDINGS_DIR"]) / recording.folder
    for made in recording.files:
        assert (folder / made["name"]).stat().st_size == made["size"] > 0
    assert list(folder.glob("*.mjr")) == []
    job = db.session.query(Job).filter_by(kind=recordings.PROCESS).one()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)  # sound, picture, joining
    if muxer == "missing":  # the two files janus-pp-rec made, as they are
        made = {f["kind"]: f["name"] for f in recording.files}
        assert sorted(made) == ["audio", "video"]
        assert codecs(probe(folder / made["video"])) == [("video", "vp8")]
        assert codecs(probe(folder / made["audio"])) == [("audio", "opus")]
        return
    [one] = recording.files
    assert (one["name"], one["kind"], one["audio"]) == (recordings.JOINED, "video", True)
    assert sorted(p.name for p in folder.iterdir()) == [recordings.JOINED]
    report = probe(folder / recordings.JOINED)
    assert codecs(report) == [("audio", "opus"), ("video", "vp8")]
    pitch_s = (recording.ended_at - recording.started_at).total_seconds()
    print(f"pitch {pitch_s:.2f} s, joined file {float(report['format']['duration']):.2f} s, "
          f"streams {[(s['codec_name'], s.get('start_time')) for s in report['streams']]}")
    assert abs(float(report["format"]["duration"]) - pitch_s) < 1.0, (report["format"], pitch_s)
