"""Captions of recorded pitches (roadshow.live.captions makes and checks the WebVTT).

- A caption line typed in the live room while a pitch is recorded is kept with the moment it
  was sent (:func:`keep`, called by the room's ``video_caption``), in the language it is written
  in; the recording's page offers them as one WebVTT track per language, timed from the
  recording's start (:func:`track`).
- An organizer of the event or the presenter may upload a corrected or translated WebVTT file
  for a language (:func:`upload`): it replaces the lines typed live in that language; a file
  that is not valid WebVTT is refused and the captions before it stay.
- Who reads captions is who watches the recording (:func:`roadshow.live.recordings.may_watch`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.access import roles_may
from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.live import captions, recordings
from roadshow.live.models import CaptionCue, CaptionTrack, LiveRecording, LiveRoom
from roadshow.organisations.grants import Grant
from roadshow.scoping import scoped


@dataclass(frozen=True)
class TrackInfo:
    language: str
    #: "upload" (a file someone uploaded) or "live" (the lines typed in the room)
    source: str
    cues: int
    uploaded: CaptionTrack | None = None


def keep(session: Session, room: LiveRoom, user: User, text: str) -> CaptionCue | None:
    """Keep a caption line sent in ``room`` if a pitch is being recorded there."""
    recording = recordings.recording_now(session, room)
    if recording is None:
        return None
    cue = CaptionCue(event_id=recording.event_id, recording_id=recording.id, user_id=user.id,
                     language=captions.language_of(text), text=text, said_at=utcnow())
    session.add(cue)
    return cue


def live_cues(session: Session, recording: LiveRecording, language: str) -> list[captions.Cue]:
    """The lines typed live in ``language`` as cues timed from the recording's start."""
    rows = session.scalars(scoped(select(CaptionCue).where(
        CaptionCue.recording_id == recording.id, CaptionCue.language == language).order_by(
        CaptionCue.said_at, CaptionCue.id), recording.event_id))
    start = recording.started_at
    lines = [(int((row.said_at - start).total_seconds() * 1000), row.text) for row in rows]
    length = (int((recording.ended_at - start).total_seconds() * 1000)
              if recording.ended_at is not None else None)
    return captions.cues(lines, length)


def uploaded(session: Session, recording: LiveRecording, language: str) -> CaptionTrack | None:
    return session.scalar(scoped(select(CaptionTrack).where(
        CaptionTrack.recording_id == recording.id, CaptionTrack.language == language),
        recording.event_id))


def track(session: Session, recording: LiveRecording, language: str) -> str | None:
    """The WebVTT of ``language`` for ``recording``: the uploaded file, else the lines typed
    live; None when there is neither."""
    upload = uploaded(session, recording, language)
    if upload is not None:
        return upload.content
    made = live_cues(session, recording, language)
    return captions.to_webvtt(made) if made else None


def tracks(session: Session, recording: LiveRecording) -> list[TrackInfo]:
    """The languages the recording has captions in, and where each comes from."""
    found: list[TrackInfo] = []
    for language in captions.LANGUAGES:
        upload = uploaded(session, recording, language)
        if upload is not None:
            count = len(captions.parse(upload.content))
            found.append(TrackInfo(language, "upload", count, upload))
            continue
        made = live_cues(session, recording, language)
        if made:
            found.append(TrackInfo(language, "live", len(made)))
    return found


def may_upload(user: User, grant: Grant, recording: LiveRecording) -> bool:
    """The event's organizers and the presenter of the pitch."""
    if grant.event_id != recording.event_id:
        return False
    return roles_may(grant.roles, "events.manage") or user.id == recording.presenter_id


def upload(session: Session, recording: LiveRecording, language: str, data: bytes,
           file_name: str, actor: User) -> CaptionTrack:
    """Keep an uploaded WebVTT file as the ``language`` captions of ``recording``; raises
    :class:`roadshow.live.captions.CaptionFileError` (nothing changed) when it is not valid."""
    if language not in captions.LANGUAGES:
        raise captions.CaptionFileError("language", language)
    content = captions.check(data)
    kept = uploaded(session, recording, language)
    if kept is None:
        kept = CaptionTrack(event_id=recording.event_id, recording_id=recording.id,
                            language=language)
        session.add(kept)
    kept.content, kept.file_name = content, file_name[:200]
    kept.uploaded_by_id, kept.uploaded_at = actor.id, utcnow()
    return kept
