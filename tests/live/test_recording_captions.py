"""Captions of a recorded pitch (roadshow.live.recording_captions): the lines typed in the live
room while the pitch is recorded are kept with their time and served as WebVTT timed from the
recording's start (read back with webvtt-py); an organizer or the presenter uploads a corrected
or translated WebVTT file per language, a malformed one is refused in the reader's language and
the captions before it stay; captions are read by whoever may watch the recording only."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import webvtt
from sqlalchemy import delete

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.live import captions
from roadshow.live.models import (
    CaptionCue,
    CaptionTrack,
    LiveRecording,
    LiveRoom,
    RecordingStatus,
)
from roadshow.organisations.models import EventRole
from tests.live.conftest import act
from tests.live.test_recording_access import ready_recording
from tests.many_events_fixtures import event_url

CORRECTED_EN = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nOur sensor runs ten years on one "
                "battery.\n\n00:00:04.500 --> 00:00:07.250\nWe look for a pilot site in Gulou.\n")
TRANSLATED_ZH = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n我们的传感器一节电池用十年。\n"


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    app_config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    return app_config


def on_stage(roadshow: Any, connect: Any) -> tuple[Any, Any, LiveRoom]:
    """The host opens the session and calls the first pitch; its presenter joins."""
    host = connect(roadshow.organizer, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]
    presenter = connect(roadshow.presenters[0], roadshow.session)
    room = db.session.query(LiveRoom).filter_by(session_id=roadshow.session.id).one()
    return host, presenter, room


def recording_in(roadshow: Any, room: LiveRoom, started_s_ago: float) -> LiveRecording:
    application = roadshow.applications[0]
    recording = LiveRecording(event_id=roadshow.event.id, room_id=room.id,
                              session_id=roadshow.session.id, application_id=application.id,
                              presenter_id=application.applicant_id, folder="x",
                              started_at=utcnow() - timedelta(seconds=started_s_ago))
    db.session.add(recording)
    db.session.commit()
    return recording


def vtt_url(roadshow: Any, recording: LiveRecording, language: str, **query: str) -> str:
    url = event_url(roadshow.event, f"/live/recordings/{recording.id}/captions/{language}.vtt")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def parsed(text: str) -> list[Any]:
    return webvtt.from_buffer(io.StringIO(text)).captions


def upload(client: Any, roadshow: Any, recording: LiveRecording, language: str,
           content: bytes, name: str = "pitch.vtt") -> Any:
    return client.post(event_url(roadshow.event, f"/live/recordings/{recording.id}/captions/upload"),
                       data={"language": language, "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_lines_typed_while_recorded_are_kept_with_their_time_and_served_as_webvtt(
        roadshow, connect, login_as):
    host, presenter, room = on_stage(roadshow, connect)
    assert act(presenter, "video_caption", text="before the recording")["ok"]
    assert db.session.query(CaptionCue).count() == 0  # nothing recorded: only broadcast

    recording = recording_in(roadshow, room, started_s_ago=12.5)
    assert act(presenter, "video_caption", text="Our sensor runs   ten years <on> one battery")["ok"]
    assert act(host, "video_caption", text="我们的传感器一节电池用十年")["ok"]
    cues = db.session.query(CaptionCue).order_by(CaptionCue.id).all()
    assert [(c.language, c.text, c.user_id) for c in cues] == [
        ("en", "Our sensor runs ten years <on> one battery", roadshow.presenters[0].id),
        ("zh", "我们的传感器一节电池用十年", roadshow.organizer.id)]
    offsets = [int((c.said_at - recording.started_at).total_seconds() * 1000) for c in cues]
    assert all(12_500 <= at < 60_000 for at in offsets)

    recording.status, recording.ended_at = RecordingStatus.READY, utcnow() + timedelta(seconds=30)
    recording.files = [{"name": "pitch-video.webm", "kind": "video", "size": 1},
                       {"name": "pitch-audio.opus", "kind": "audio", "size": 1}]
    db.session.commit()
    judge, _ = login_as(roadshow.judge)
    english = judge.get(vtt_url(roadshow, recording, "en"))
    assert english.status_code == 200
    assert english.mimetype == "text/vtt"
    assert english.headers["Content-Disposition"].startswith("inline")
    [cue] = parsed(english.get_data(as_text=True))
    assert cue.text == "Our sensor runs ten years &lt;on&gt; one battery"  # escaped, not markup
    assert cue.start_time.in_milliseconds() == pytest.approx(offsets[0], abs=1)
    assert cue.end_time > cue.start_time
    [chinese] = parsed(judge.get(vtt_url(roadshow, recording, "zh")).get_data(as_text=True))
    assert chinese.text == "我们的传感器一节电池用十年"
    assert chinese.start_time.in_milliseconds() == pytest.approx(offsets[1], abs=1)

    download = judge.get(vtt_url(roadshow, recording, "en", download="1"))
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="pitch-{recording.id}-en.vtt"')

    page = judge.get(event_url(roadshow.event, f"/live/recordings/{recording.id}"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<track kind="captions" srclang="en" label="English captions"' in html
    assert 'srclang="zh" label="Chinese captions / 中文字幕"' in html
    assert "typed in the live room during the pitch" in html
    assert 'data-sound="recording-sound"' in html
    assert "js/recording-player.js" in html
    assert "Upload captions" not in html  # a judge watches; they do not upload


def test_the_next_item_stops_keeping_lines(roadshow, connect):
    host, presenter, room = on_stage(roadshow, connect)
    recording = recording_in(roadshow, room, started_s_ago=1)
    recording.status = RecordingStatus.PROCESSING
    db.session.commit()
    assert act(host, "video_caption", text="after the pitch")["ok"]
    assert db.session.query(CaptionCue).count() == 0


def test_an_uploaded_file_replaces_its_language_and_a_malformed_one_changes_nothing(
        roadshow, login_as, app):
    recording = ready_recording(roadshow, Path(app.config["RECORDINGS_DIR"]))
    db.session.add(CaptionCue(event_id=roadshow.event.id, recording_id=recording.id,
                              user_id=roadshow.presenters[0].id, language="en",
                              text="our sensor runs ten year", said_at=recording.started_at
                              + timedelta(seconds=2)))
    db.session.commit()
    organizer, _ = login_as(roadshow.organizer)
    page = organizer.get(event_url(roadshow.event, f"/live/recordings/{recording.id}"))
    assert 'id="caption-upload"' in page.get_data(as_text=True)

    answer = upload(organizer, roadshow, recording, "en", CORRECTED_EN.encode(), "fixed.vtt")
    assert answer.status_code == 200
    assert "now the file you uploaded" in answer.get_data(as_text=True)
    served = parsed(organizer.get(vtt_url(roadshow, recording, "en")).get_data(as_text=True))
    assert [(c.start, c.end, c.text) for c in served] == [
        ("00:00:01.000", "00:00:04.000", "Our sensor runs ten years on one battery."),
        ("00:00:04.500", "00:00:07.250", "We look for a pilot site in Gulou.")]

    malformed = {
        "no header": b"00:00:01.000 --> 00:00:02.000\nhello\n",
        "bad time": b"WEBVTT\n\n00:00:0x.000 --> 00:00:02.000\nhello\n",
        "backwards": b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nhello\n",
        "no cue": b"WEBVTT\n\nNOTE nothing to show\n",
        "not utf-8": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n传感器\n".encode("gb18030"),
        "too large": b"WEBVTT\n\n" + b"x" * (captions.MAX_BYTES + 1),
    }
    for reason, content in malformed.items():
        answer = upload(organizer, roadshow, recording, "en", content)
        html = answer.get_data(as_text=True)
        assert "alert-danger" in html, reason
        served = parsed(organizer.get(vtt_url(roadshow, recording, "en")).get_data(as_text=True))
        assert served[0].text == "Our sensor runs ten years on one battery.", reason
    assert db.session.query(CaptionTrack).one().file_name == "fixed.vtt"

    # the presenter adds the Chinese, and reads the refusal in Chinese
    presenter, _ = login_as(roadshow.presenters[0])
    presenter.post("/language", data={"locale": "zh_Hans_CN"})
    refused = upload(presenter, roadshow, recording, "zh", b"00:00:01.000 --> 00:00:02.000\nx\n")
    assert "这不是 WebVTT 文件" in refused.get_data(as_text=True)
    assert upload(presenter, roadshow, recording, "zh", TRANSLATED_ZH.encode()).status_code == 200
    [zh] = parsed(presenter.get(vtt_url(roadshow, recording, "zh")).get_data(as_text=True))
    assert zh.text == "我们的传感器一节电池用十年。"
    assert db.session.query(CaptionTrack).count() == 2


def test_captions_are_only_for_those_who_watch_the_recording(roadshow, login_as, app, client,
                                                             make_user, make_organisation,
                                                             make_event, grant):
    recording = ready_recording(roadshow, Path(app.config["RECORDINGS_DIR"]))
    db.session.add(CaptionTrack(event_id=roadshow.event.id, recording_id=recording.id,
                                language="en", content=CORRECTED_EN, file_name="fixed.vtt"))
    db.session.commit()
    page = event_url(roadshow.event, f"/live/recordings/{recording.id}")

    anonymous = client.get(vtt_url(roadshow, recording, "en"))
    assert anonymous.status_code in (302, 401, 403)
    assert b"battery" not in anonymous.data

    elsewhere = make_event(organisation=make_organisation())
    stranger = make_user(Role.JUDGE)
    db.session.execute(delete(EventRole).where(EventRole.user_id == stranger.id))
    grant(stranger, elsewhere, Role.JUDGE)
    for outsider in (roadshow.presenters[1], roadshow.outsider, stranger):
        other, _ = login_as(outsider)
        for url in (page, vtt_url(roadshow, recording, "en")):
            response = other.get(url)
            assert response.status_code in (403, 404), (outsider.email, url)
            assert b"battery" not in response.data
        assert upload(other, roadshow, recording, "zh", TRANSLATED_ZH.encode()
                      ).status_code in (403, 404)

    judge, _ = login_as(roadshow.judge)  # watches, but does not upload
    assert upload(judge, roadshow, recording, "zh", TRANSLATED_ZH.encode()).status_code == 403
    assert db.session.query(CaptionTrack).count() == 1
    assert judge.get(vtt_url(roadshow, recording, "zh")).status_code == 404  # no Chinese yet
    assert judge.get(event_url(roadshow.event, f"/live/recordings/{recording.id}/captions/fr.vtt")
                     ).status_code == 404
    listing = judge.get(event_url(roadshow.event, "/live/recordings")).get_data(as_text=True)
    assert f"/live/recordings/{recording.id}\"" in listing  # the page is linked from the list
