"""A recording's page (templates/live/recording.html): valid HTML for who watches and who
uploads; in Chromium its video has a caption track per language whose label names it in both
languages and whose cues the browser itself reads from the served WebVTT; the upload form is
reached and used from the keyboard; a recording whose picture and sound ffmpeg joined plays
both from the one file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from roadshow.extensions import db
from roadshow.live import recordings
from roadshow.live.models import CaptionCue, CaptionTrack
from tests.in_browser import page_through
from tests.live.test_recording_access import ready_recording
from tests.live.test_recording_captions import CORRECTED_EN
from tests.live.test_recording_join import ffmpeg, make_tracks
from tests.many_events_fixtures import event_url
from tests.nu import nu_errors

#: the cues each text track of the page's video holds once Chromium loaded it
TRACKS_JS = """() => new Promise((done, fail) => {
    const tracks = [...document.querySelector('#recording-video').textTracks];
    tracks.forEach(t => { if (t.mode === 'disabled') { t.mode = 'hidden'; } });
    const started = Date.now();
    (function poll() {
        if (tracks.every(t => t.cues && t.cues.length)) {
            done(tracks.map(t => ({language: t.language, label: t.label, mode: t.mode,
                                   cues: [...t.cues].map(c => [c.startTime, c.endTime, c.text])})));
        } else if (Date.now() - started > 10000) { fail(new Error('the tracks did not load')); }
        else { setTimeout(poll, 100); }
    })();
})"""


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    app_config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    return app_config


@pytest.fixture
def captioned(roadshow: Any, app: Any) -> Any:
    """A ready recording with an uploaded English file and a Chinese line typed live 3 s in."""
    recording = ready_recording(roadshow, Path(app.config["RECORDINGS_DIR"]))
    db.session.add_all([
        CaptionTrack(event_id=roadshow.event.id, recording_id=recording.id, language="en",
                     content=CORRECTED_EN, file_name="fixed.vtt"),
        CaptionCue(event_id=roadshow.event.id, recording_id=recording.id, language="zh",
                   user_id=roadshow.presenters[0].id, text="我们的传感器一节电池用十年",
                   said_at=recording.started_at + timedelta(seconds=3))])
    db.session.commit()
    return recording


@pytest.mark.slow
def test_the_recordings_pages_are_valid_html(roadshow, login_as, captioned, tmp_path):
    pages = {}
    for who, user in (("judge", roadshow.judge), ("organizer", roadshow.organizer)):
        client, _ = login_as(user)
        for name, path in (("page", f"/live/recordings/{captioned.id}"),
                           ("list", "/live/recordings")):
            pages[f"{who}-{name}"] = client.get(event_url(roadshow.event, path)).get_data(
                as_text=True)
    assert 'id="caption-upload"' in pages["organizer-page"]
    assert nu_errors(pages, tmp_path) == {name: [] for name in pages}


@pytest.mark.e2e
def test_chromium_reads_both_tracks_and_the_upload_form_works_from_the_keyboard(
        browser, roadshow, login_as, captioned):
    client, _ = login_as(roadshow.organizer)
    page = page_through(browser, client)
    try:
        page.goto(event_url(roadshow.event, f"/live/recordings/{captioned.id}"))
        tracks = {t["language"]: t for t in page.evaluate(TRACKS_JS)}
        assert tracks["en"]["label"] == "English captions"
        assert tracks["zh"]["label"] == "Chinese captions / 中文字幕"
        assert tracks["en"]["mode"] == "showing"  # the reader's language is the default
        assert tracks["en"]["cues"] == [
            [1, 4, "Our sensor runs ten years on one battery."],
            [4.5, 7.25, "We look for a pilot site in Gulou."]]
        [[start, end, text]] = tracks["zh"]["cues"]
        assert (start, text) == (3, "我们的传感器一节电池用十年")
        assert end > start

        # from the download link, Tab reaches the language, the file and the button in order
        page.focus("#caption-tracks a[download]")
        reached = []
        for _ in range(8):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.id || "
                                         "document.activeElement.textContent.trim()"))
        assert reached.index("caption-language") < reached.index("caption-file") < reached.index(
            "Upload captions")
        page.focus("#caption-language")
        page.keyboard.press("ArrowDown")  # English is chosen: down to nothing, up to Chinese
        page.keyboard.press("ArrowUp")
        assert page.eval_on_selector("#caption-language", "s => s.value") == "zh"
    finally:
        page.context.close()


#: the video element's decoded bytes after play(), once both picture and sound were decoded
PLAYED_JS = """() => new Promise((done, fail) => {
    const video = document.querySelector('#recording-video');
    video.play().catch(fail);
    const started = Date.now();
    (function poll() {
        const decoded = {audio: video.webkitAudioDecodedByteCount,
                         video: video.webkitVideoDecodedByteCount,
                         time: video.currentTime, muted: video.muted,
                         sounds: document.querySelectorAll('audio').length,
                         tracks: video.textTracks.length};
        if ((decoded.audio > 0 && decoded.video > 0 && decoded.time > 0.5)
                || Date.now() - started > 10000) { video.pause(); done(decoded); }
        else { setTimeout(poll, 100); }
    })();
})"""


@pytest.mark.e2e
def test_chromium_plays_the_joined_recording_with_picture_and_sound(
        browser, roadshow, login_as, captioned, app):
    folder = Path(app.config["RECORDINGS_DIR"]) / captioned.folder
    (folder / "pitch-video.webm").unlink()
    captioned.files = recordings.join(folder, make_tracks(folder), ffmpeg())
    db.session.commit()
    assert [f["name"] for f in captioned.files] == [recordings.JOINED]
    client, _ = login_as(roadshow.judge)
    page = page_through(browser, client)
    try:
        page.goto(event_url(roadshow.event, f"/live/recordings/{captioned.id}"))
        page.click("h1")  # the reader's gesture: Chromium plays sound only after one
        played = page.evaluate(PLAYED_JS)
        assert played["audio"] > 0, played
        assert played["video"] > 0, played
        assert not played["muted"]
        assert played["sounds"] == 0  # one element plays both: no <audio> kept in step by a script
        assert played["tracks"] == 2  # the captions are the joined file's tracks
    finally:
        page.context.close()
