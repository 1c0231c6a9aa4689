"""Recording pitches on the media server, per event and only with the presenter's consent.

- An organizer turns recording on (or off) for an event's live sessions
  (:func:`set_enabled`); the presenters are then asked in the live room, before going on stage,
  whether their pitch may be recorded (:func:`answer_consent`; they may change their mind until
  the pitch starts).
- When a presenter who said yes is on camera for their pitch, :func:`start` has Janus record
  the room (VideoRoom ``edit`` to a folder of this recording's own, then ``enable_recording``;
  the room is created with ``lock_record`` so no page can switch recording itself). When the
  stage moves on, :func:`stop` ends it and a background job (:data:`PROCESS`) turns the
  presenter's ``.mjr`` files into a ``.webm`` (picture) and an ``.opus`` (sound) with
  ``janus-pp-rec`` (Debian package janus-tools). Janus records every publisher of the room
  while it records (the host too): only the presenter's files are kept, the others deleted.
  Then :func:`join` puts the picture and the sound into one ``.webm`` with ``ffmpeg -c copy``
  (no re-encoding, as Janus's documentation advises after janus-pp-rec). Without ffmpeg, or
  when ffmpeg fails, or when only one of the two was recorded, the files stay as they are
  (the recording's page then plays the sound along with the picture).
- The files are served by Roadshow only (:func:`may_watch` decides): the event's organizers,
  judges and districts' recruiters, and the presenter themself; never a public path.

The recordings folder (``ROADSHOW_RECORDINGS_DIR``, by default ``instance/recordings``) must be
the same folder for Janus and Roadshow (one machine, or a shared volume).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.live.janus import Janus, JanusError
from roadshow.live.models import (
    LiveRecording,
    LiveRoom,
    RecordingConsent,
    RecordingSetting,
    RecordingStatus,
)
from roadshow.organisations.grants import Grant
from roadshow.scoping import scoped

log = logging.getLogger("roadshow.live.recordings")
PROCESS = "live.process_recording"
#: who may watch a recording besides its presenter
WATCHERS = frozenset({Role.ORGANIZER, Role.JUDGE, Role.RECRUITER})
POST_PROCESSOR = "janus-pp-rec"
#: a file Janus wrote: videoroom-<room>-user-<participant>-<time>-<audio|video>[-<mindex>].mjr
MJR = re.compile(r"-user-(?P<user>\d+)-\d+-(?P<kind>audio|video)(?:-(?P<index>\d+))?\.mjr$")
EXTENSIONS = {"audio": "opus", "video": "webm"}
#: the binary that joins picture and sound (setting ``ROADSHOW_FFMPEG``: a name on the PATH or a
#: path; Debian package ffmpeg)
MUXER = "ffmpeg"
#: the one file of a recording whose picture and sound were joined
JOINED = "pitch.webm"


def root_folder(instance_path: str, setting: str | None) -> Path:
    return Path(setting) if setting else Path(instance_path) / "recordings"


def enabled(session: Session, event: Event) -> bool:
    setting = session.scalar(scoped(select(RecordingSetting), event))
    return setting is not None and setting.enabled


def set_enabled(session: Session, event: Event, on: bool, actor: User) -> RecordingSetting:
    setting = session.scalar(scoped(select(RecordingSetting), event))
    if setting is None:
        setting = RecordingSetting(event_id=event.id)
        session.add(setting)
    setting.enabled, setting.changed_by_id, setting.changed_at = on, actor.id, utcnow()
    return setting


def consent_of(session: Session, application: Application) -> RecordingConsent | None:
    return session.scalar(scoped(select(RecordingConsent).where(
        RecordingConsent.application_id == application.id), application.event_id))


def answer_consent(session: Session, application: Application, user: User,
                   consented: bool) -> RecordingConsent:
    """The presenter's answer (only the applicant of ``application`` gives it: the caller
    checked)."""
    consent = consent_of(session, application)
    if consent is None:
        consent = RecordingConsent(event_id=application.event_id, application_id=application.id)
        session.add(consent)
    consent.user_id, consent.consented, consent.answered_at = user.id, consented, utcnow()
    return consent


def may_record(session: Session, event: Event, application: Application) -> bool:
    """The event records and the presenter said yes."""
    consent = consent_of(session, application)
    return enabled(session, event) and consent is not None and consent.consented


def recording_now(session: Session, room: LiveRoom) -> LiveRecording | None:
    return session.scalar(scoped(select(LiveRecording).where(
        LiveRecording.room_id == room.id, LiveRecording.status == RecordingStatus.RECORDING),
        room.session.event_id))


def start(session: Session, janus: Janus | None, room: LiveRoom, application: Application,
          root: Path) -> LiveRecording | None:
    """Record the pitch of ``application`` on the media server, if its presenter consented;
    the recording under way (or None: no consent, recording off, no media server)."""
    event = room.session.event
    if janus is None or not may_record(session, event, application):
        return None
    current = recording_now(session, room)
    if current is not None:
        if current.application_id == application.id:
            return current
        stop(session, janus, room)
    recording = LiveRecording(event_id=event.id, room_id=room.id, session_id=room.session_id,
                              application_id=application.id, presenter_id=application.applicant_id,
                              folder="")
    session.add(recording)
    session.flush()
    recording.folder = f"{event.id}/{recording.id}"
    folder = root / recording.folder
    folder.mkdir(parents=True, exist_ok=True)
    try:
        janus.record(room.id, str(folder.resolve()), True)
    except (OSError, JanusError) as error:
        log.exception("Janus could not record room %s", room.id)
        recording.status, recording.error = RecordingStatus.FAILED, str(error)
        recording.ended_at = utcnow()
    return recording


def stop(session: Session, janus: Janus | None, room: LiveRoom) -> LiveRecording | None:
    """End the recording under way in ``room``; it waits for post-processing."""
    recording = recording_now(session, room)
    if recording is None:
        return None
    if janus is not None:
        try:
            janus.record(room.id, None, False)
        except (OSError, JanusError):
            log.exception("Janus could not stop recording room %s", room.id)
    recording.status, recording.ended_at = RecordingStatus.PROCESSING, utcnow()
    return recording


def withdraw(session: Session, janus: Janus | None, application: Application,
             root: Path) -> bool:
    """The presenter said no while their pitch is being recorded: the recording stops and what
    was recorded is deleted; True if there was one."""
    recording = session.scalar(scoped(select(LiveRecording).where(
        LiveRecording.application_id == application.id,
        LiveRecording.status == RecordingStatus.RECORDING), application.event_id))
    if recording is None:
        return False
    if janus is not None and recording.room_id is not None:
        try:
            janus.record(recording.room_id, None, False)
        except (OSError, JanusError):
            log.exception("Janus could not stop recording room %s", recording.room_id)
    if recording.folder:
        shutil.rmtree(root / recording.folder, ignore_errors=True)
    session.delete(recording)
    return True


def muxer_path(setting: str | None) -> str | None:
    """The ffmpeg that joins picture and sound, or None when it is not installed."""
    return shutil.which(setting or MUXER)


def _own_sources(recording: LiveRecording, folder: Path) -> tuple[
        list[tuple[Path, re.Match[str]]], list[Path]]:
    """The presenter's .mjr files in ``folder`` (with what their names say), and the others'."""
    own: list[tuple[Path, re.Match[str]]] = []
    others: list[Path] = []
    for source in sorted(folder.glob("*.mjr")):
        found = MJR.search(source.name)
        if found is not None and int(found["user"]) == recording.presenter_id:
            own.append((source, found))
        else:
            others.append(source)
    return own, others


def steps(recording: LiveRecording, root: Path) -> int:
    """How many steps :func:`post_process` takes for ``recording``: one per file of the
    presenter's, and the joining."""
    return len(_own_sources(recording, root / recording.folder)[0]) + 1


def _first_packet_us(source: Path) -> int | None:
    """When Janus wrote the first packet of ``source`` (microseconds; from its JSON header)."""
    try:
        shown = subprocess.run([POST_PROCESSOR, "--json", str(source)],  # noqa: S603
                               check=True, capture_output=True, text=True, timeout=60)
        written = json.loads(shown.stdout).get("u")
    except (OSError, subprocess.SubprocessError, ValueError, AttributeError):
        return None
    return written if isinstance(written, int) else None


def post_process(recording: LiveRecording, root: Path, muxer: str | None = None,
                 step: Callable[[], None] = lambda: None) -> list[dict[str, object]]:
    """The presenter's .mjr files into .webm / .opus (the others' deleted), joined into one
    .webm by ``muxer`` (the path of ffmpeg, None: not installed) when both were recorded; the
    files made. ``step`` is called after each of the :func:`steps`."""
    folder = root / recording.folder
    if shutil.which(POST_PROCESSOR) is None:
        raise RuntimeError("janus-pp-rec is not installed (apt-get install janus-tools)")
    own, others = _own_sources(recording, folder)
    for source in others:
        source.unlink()  # someone else on camera while Janus recorded: not kept
    made: list[dict[str, object]] = []
    for source, found in own:
        kind = found["kind"]
        target = folder / f"pitch-{kind}{'-' + found['index'] if found['index'] else ''}.{EXTENSIONS[kind]}"
        started = _first_packet_us(source)
        subprocess.run([POST_PROCESSOR, str(source), str(target)],  # noqa: S603 - fixed binary
                       check=True, capture_output=True, timeout=600)
        if target.exists() and target.stat().st_size > 0:
            made.append({"name": target.name, "kind": kind, "size": target.stat().st_size,
                         **({"started_us": started} if started is not None else {})})
            source.unlink()
        step()
    joined = join(folder, made, muxer)
    step()
    return [{k: v for k, v in f.items() if k != "started_us"} for f in joined]


def join(folder: Path, made: list[dict[str, object]], muxer: str | None) -> list[dict[str, object]]:
    """The first picture and the first sound of ``made`` as one .webm (ffmpeg copies their
    streams, nothing is re-encoded; the later one starts that much later), the two files then
    deleted; ``made`` as it is when ``muxer`` is None, when one of the two is missing or when
    ffmpeg fails (the page plays them together)."""
    videos = [f for f in made if f["kind"] == "video"]
    sounds = [f for f in made if f["kind"] == "audio"]
    if muxer is None or not videos or not sounds:
        return made
    video, sound = videos[0], sounds[0]
    offsets = {"video": 0.0, "audio": 0.0}
    video_from, sound_from = video.get("started_us"), sound.get("started_us")
    if isinstance(video_from, int) and isinstance(sound_from, int):
        gap = (sound_from - video_from) / 1e6
        offsets["audio" if gap > 0 else "video"] = abs(gap)
    partial = folder / f"joining-{JOINED}"
    command = [muxer, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    for kind, made_file in (("video", video), ("audio", sound)):
        if offsets[kind]:
            command += ["-itsoffset", f"{offsets[kind]:.3f}"]
        command += ["-i", str(folder / str(made_file["name"]))]
    command += ["-map", "0:v:0", "-map", "1:a:0", "-c", "copy", str(partial)]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=600)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("ffmpeg could not join the picture and the sound in %s: %s", folder,
                    getattr(error, "stderr", b"") or error)
        partial.unlink(missing_ok=True)
        return made
    if not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        return made
    partial.replace(folder / JOINED)
    for made_file in (video, sound):
        (folder / str(made_file["name"])).unlink()
    one = {"name": JOINED, "kind": "video", "audio": True, "size": (folder / JOINED).stat().st_size}
    return [one, *(f for f in made if f is not video and f is not sound)]


def may_watch(user: User, grant: Grant, recording: LiveRecording) -> bool:
    """The event's organizers, judges and recruiters, and the presenter themself."""
    if grant.event_id != recording.event_id:
        return False
    return bool(grant.roles & WATCHERS) or user.id == recording.presenter_id


def file_path(recording: LiveRecording, root: Path, name: str) -> Path | None:
    """The file ``name`` of a ready recording, if it is one of its files."""
    if recording.status != RecordingStatus.READY:
        return None
    if name not in {str(f.get("name")) for f in recording.files}:
        return None
    path = root / recording.folder / name
    return path if path.is_file() else None


def questions(session: Session, event: Event, presents: frozenset[int]) -> list[
        tuple[Application, RecordingConsent | None]]:
    """What the live room asks a presenter: for each project they present, their answer so far
    (nothing when the event does not record)."""
    if not presents or not enabled(session, event):
        return []
    rows = session.scalars(scoped(select(Application).where(
        Application.id.in_(sorted(presents))).order_by(Application.id), event))
    return [(application, consent_of(session, application)) for application in rows]
