"""A pitch recorded on a real Janus with its presenter's consent (roadshow.live.recordings):
without consent nothing is recorded; with it, the presenter on camera (an aiortc publisher) is
recorded until the host calls the next item, and the background job leaves a .webm and an
.opus made by janus-pp-rec, the others' files (the host's) not kept."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from roadshow.extensions import db
from roadshow.live import recordings
from roadshow.live.janus import Janus
from roadshow.live.models import LiveRecording, LiveRoom, RecordingStatus
from tests.live.conftest import act, hello
from tests.live.janus_process import ADMIN_KEY, janus_server  # noqa: F401 - the fixture
from tests.live.test_janus_mute import publishing, wait_for_streams  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow


@pytest.fixture
def app_config(app_config: dict[str, Any], janus_server, tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    app_config["JANUS_URL"] = janus_server.url
    app_config["JANUS_ADMIN_KEY"] = ADMIN_KEY
    app_config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    return app_config


def test_only_a_consenting_presenter_is_recorded_and_post_processed(roadshow, connect, app,
                                                                     publishing):  # noqa: F811
    if shutil.which(recordings.POST_PROCESSOR) is None:
        pytest.skip("janus-pp-rec is not installed (apt-get install janus-tools)")
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
    kinds = {f["kind"] for f in recording.files}
    assert kinds == {"audio", "video"}
    folder = Path(app.config["RECORDINGS_DIR"]) / recording.folder
    for made in recording.files:
        assert (folder / made["name"]).stat().st_size == made["size"] > 0
    assert list(folder.glob("*.mjr")) == []
