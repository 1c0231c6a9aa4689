"""The recordings' background job: post-processing the .mjr files Janus wrote into .webm and
.opus, then joining them into one .webm with ffmpeg when it is installed (roadshow.live.
recordings). One job per event at a time: it takes every recording of the event that waits for
post-processing, so a pitch that ended while another was processed is not left behind. Its
progress counts each file converted and each joining."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.jobs import kinds
from roadshow.jobs.kinds import JobFailure, Progress
from roadshow.jobs.models import Job
from roadshow.live import recordings
from roadshow.live.models import LiveRecording, RecordingStatus
from roadshow.scoping import scoped

log = logging.getLogger("roadshow.live.recording_jobs")


def process_recordings(job: Job, progress: Progress) -> Mapping[str, Any]:
    session = db.session
    waiting = list(session.scalars(scoped(select(LiveRecording).where(
        LiveRecording.status == RecordingStatus.PROCESSING).order_by(LiveRecording.id),
        job.event_id)))
    root = recordings.root_folder(current_app.instance_path,
                                  current_app.config.get("RECORDINGS_DIR"))
    muxer = recordings.muxer_path(current_app.config.get("FFMPEG"))
    if muxer is None and waiting:
        log.warning("ffmpeg (%s) is not installed: picture and sound stay two files",
                    current_app.config.get("FFMPEG") or recordings.MUXER)
    planned = [recordings.steps(recording, root) for recording in waiting]
    total, done = sum(planned), 0
    ready = failed = 0
    progress(0, total)

    def step() -> None:
        nonlocal done
        done += 1
        progress(done, total)

    for recording, steps in zip(waiting, planned, strict=True):
        until = done + steps
        try:
            recording.files = recordings.post_process(recording, root, muxer, step)
        except RuntimeError as error:
            raise JobFailure("unexpected", str(error), retry=False) from error
        except (OSError, subprocess.SubprocessError) as error:
            recording.status, recording.error = RecordingStatus.FAILED, str(error)[:2000]
            failed += 1
        else:
            recording.status = RecordingStatus.READY if recording.files else RecordingStatus.FAILED
            recording.error = "" if recording.files else "no media was recorded"
            ready += 1 if recording.files else 0
            failed += 0 if recording.files else 1
        recording.processed_at = utcnow()
        session.commit()
        done = until
    progress(total, total)
    return {"ready": ready, "failed": failed}


kinds.register(kinds.Kind(
    name=recordings.PROCESS, handler=process_recordings,
    title=_l("Preparing the recordings of pitches"), back_endpoint="recordings.list_recordings",
))
