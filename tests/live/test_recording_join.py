"""A recording's picture and sound joined into one .webm by ffmpeg, streams copied
(roadshow.live.recordings.join): one VP8 and one Opus stream, as long as the pitch, the sound
started as late as Janus started writing it; the two files stay as they are (and the page plays
them together, telling the organizer why) when ffmpeg is missing, fails, or when only the
picture or only the sound was recorded."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from roadshow.extensions import db
from roadshow.live import recordings
from tests.conftest import skip_or_fail
from tests.live.test_recording_access import ready_recording
from tests.many_events_fixtures import event_url

#: how long the tracks made for these tests last (seconds)
LENGTH_S = 3.0


def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found is None or shutil.which("ffprobe") is None:
        skip_or_fail("ffmpeg is not installed (apt-get install ffmpeg)")
    return str(found)


def make_tracks(folder: Path, length_s: float = LENGTH_S) -> list[dict[str, object]]:
    """A VP8 picture (pitch-video.webm) and an Opus sound (pitch-audio.opus, Ogg) as janus-pp-rec
    leaves them, made by ffmpeg from a test pattern and a 440 Hz tone; their file entries."""
    folder.mkdir(parents=True, exist_ok=True)
    binary = ffmpeg()
    quiet = [binary, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    subprocess.run([*quiet, "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
                    "-t", str(length_s), "-c:v", "libvpx", "-b:v", "200k",
                    str(folder / "pitch-video.webm")], check=True, timeout=120)
    subprocess.run([*quiet, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", str(length_s), "-c:a", "libopus", str(folder / "pitch-audio.opus")],
                   check=True, timeout=120)
    return [{"name": name, "kind": kind, "size": (folder / name).stat().st_size}
            for name, kind in (("pitch-video.webm", "video"), ("pitch-audio.opus", "audio"))]


def probe(path: Path) -> dict[str, Any]:
    """ffprobe's JSON report of ``path``: its format and streams."""
    shown = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                            "-show_streams", str(path)], check=True, capture_output=True,
                           text=True, timeout=60)
    return json.loads(shown.stdout)


def codecs(report: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((s["codec_type"], s["codec_name"]) for s in report["streams"])


def test_picture_and_sound_become_one_webm_without_reencoding(tmp_path):
    made = make_tracks(tmp_path)
    video_packets = probe(tmp_path / "pitch-video.webm")["streams"][0]

    [one] = recordings.join(tmp_path, made, ffmpeg())

    assert (one["name"], one["kind"], one["audio"]) == (recordings.JOINED, "video", True)
    joined = tmp_path / recordings.JOINED
    assert one["size"] == joined.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [recordings.JOINED]
    report = probe(joined)
    assert codecs(report) == [("audio", "opus"), ("video", "vp8")]
    assert abs(float(report["format"]["duration"]) - LENGTH_S) < 0.2
    [video] = [s for s in report["streams"] if s["codec_type"] == "video"]
    assert (video["width"], video["height"]) == (video_packets["width"], video_packets["height"])


def test_the_sound_janus_started_later_starts_as_late_in_the_joined_file(tmp_path):
    made = make_tracks(tmp_path)
    made[0]["started_us"] = 1_700_000_000_000_000
    made[1]["started_us"] = 1_700_000_000_000_000 + 500_000  # the sound's first packet 0.5 s later

    recordings.join(tmp_path, made, ffmpeg())

    streams = {s["codec_type"]: s for s in probe(tmp_path / recordings.JOINED)["streams"]}
    assert float(streams["audio"]["start_time"]) - float(streams["video"]["start_time"]) == (
        pytest.approx(0.5, abs=0.05))


@pytest.mark.parametrize("kept", ["video", "audio"])
def test_a_picture_or_a_sound_alone_stays_as_it_is(tmp_path, kept):
    made = make_tracks(tmp_path)
    [alone] = [f for f in made if f["kind"] == kept]
    (tmp_path / str(next(f for f in made if f is not alone)["name"])).unlink()

    assert recordings.join(tmp_path, [alone], ffmpeg()) == [alone]
    assert [p.name for p in tmp_path.iterdir()] == [alone["name"]]


def test_without_ffmpeg_or_when_it_fails_the_two_files_stay(tmp_path):
    made = make_tracks(tmp_path)
    missing = recordings.muxer_path(str(tmp_path / "no-such-ffmpeg"))
    assert missing is None
    assert recordings.join(tmp_path, made, missing) == made

    (tmp_path / "pitch-audio.opus").write_bytes(b"not an Ogg file")
    assert recordings.join(tmp_path, made, ffmpeg()) == made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pitch-audio.opus", "pitch-video.webm"]


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    app_config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    app_config["FFMPEG"] = str(tmp_path / "no-such-ffmpeg")
    return app_config


def test_the_page_plays_two_files_together_and_tells_organizers_ffmpeg_is_missing(
        roadshow, login_as, app):
    recording = ready_recording(roadshow, Path(app.config["RECORDINGS_DIR"]))
    (Path(app.config["RECORDINGS_DIR"]) / recording.folder / "pitch-audio.opus").write_bytes(
        b"OggS sound")
    recording.files = [*recording.files, {"name": "pitch-audio.opus", "kind": "audio",
                                          "size": 10}]
    db.session.commit()
    url = event_url(roadshow.event, f"/live/recordings/{recording.id}")

    organizer, _ = login_as(roadshow.organizer)
    page = organizer.get(url).get_data(as_text=True)
    assert 'id="recording-two-files"' in page
    assert "ffmpeg is not installed on the server" in page
    assert 'id="recording-sound"' in page
    assert "js/recording-player.js" in page
    roadshow.organizer.locale = "zh_Hans_CN"
    db.session.commit()
    assert "服务器上没有安装 ffmpeg" in organizer.get(url).get_data(as_text=True)

    judge, _ = login_as(roadshow.judge)
    page = judge.get(url).get_data(as_text=True)
    assert 'id="recording-two-files"' not in page
    assert 'id="recording-sound"' in page
    for name in ("pitch-video.webm", "pitch-audio.opus"):
        response = judge.get(event_url(roadshow.event, f"/live/recordings/{recording.id}/{name}"))
        assert response.status_code == 200
        response.close()


def test_a_joined_recording_is_one_video_with_sound_on_its_page(roadshow, login_as, app):
    root = Path(app.config["RECORDINGS_DIR"])
    recording = ready_recording(roadshow, root)
    folder = root / recording.folder
    (folder / "pitch-video.webm").unlink()
    recording.files = recordings.join(folder, make_tracks(folder, 1.0), ffmpeg())
    db.session.commit()

    judge, _ = login_as(roadshow.judge)
    page = judge.get(event_url(roadshow.event, f"/live/recordings/{recording.id}")).get_data(
        as_text=True)
    assert f'/live/recordings/{recording.id}/{recordings.JOINED}" type="video/webm"' in page
    assert "Video with sound (WebM)" in page
    assert 'id="recording-sound"' not in page
    assert "js/recording-player.js" not in page
    response = judge.get(event_url(roadshow.event,
                                   f"/live/recordings/{recording.id}/{recordings.JOINED}"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "video/webm"
    response.close()
    outsider, _ = login_as(roadshow.presenters[1])
    assert outsider.get(event_url(roadshow.event, f"/live/recordings/{recording.id}/"
                                                  f"{recordings.JOINED}")).status_code in (403, 404)
