"""Recordings of pitches (roadshow.live.recordings): the event's list for its organizers, judges
and districts' recruiters (a presenter sees their own), each recording's page with its captions
(roadshow.live.recording_captions), each file downloaded through Roadshow after the access
check; the organizer's switch; a presenter's consent in the live room."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from roadshow.access import current_grant, deny, requires, roles_may
from roadshow.applications.models import Application
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.live import captions, janus, membership, recording_captions, recordings, room_events
from roadshow.live.models import LiveRecording
from roadshow.scheduling.models import PitchSession
from roadshow.scoping import get_in_event, scoped

bp = Blueprint("recordings", __name__)
#: the reader's word for each captions track (the page adds the track's own language's word)
TRACK_LABELS = {"zh": _l("Chinese captions"), "en": _l("English captions")}
#: why an uploaded captions file was refused (roadshow.live.captions.CaptionFileError keys)
UPLOAD_ERRORS = {
    "too_large": _l("The file is too large: a captions file may be at most 512 KB."),
    "not_utf8": _l("The file is not UTF-8 text. Save it as WebVTT in UTF-8 and upload it again."),
    "malformed": _l("This is not a WebVTT file: it must begin with the line WEBVTT."),
    "bad_cue": _l("A cue of this file cannot be read (%(detail)s). Times are written "
                  "00:01:02.500 --> 00:01:05.000; correct the file and upload it again."),
    "backwards": _l("A cue ends before it starts (%(detail)s). Correct the file and upload it "
                    "again."),
    "empty": _l("The file holds no cues. Upload a WebVTT file with at least one cue."),
    "language": _l("Choose the language of the captions: Chinese or English."),
    "missing": _l("Choose a WebVTT (.vtt) file to upload."),
}


def track_label(language: str) -> str:
    """The track's name in the reader's language and in its own."""
    mine, own = str(TRACK_LABELS[language]), captions.NATIVE_LABELS[language]
    return mine if mine == own else f"{mine} / {own}"


def _watched(recording_id: int) -> LiveRecording:
    """The recording, if the signed-in user may watch it (404 when it is not this event's)."""
    recording = get_in_event(db.session, LiveRecording, recording_id, g.event)
    if recording is None:
        abort(404)
    if not recordings.may_watch(current_user, current_grant(), recording):
        deny(f"not a watcher of recording {recording_id}")
    return recording


def _root() -> object:
    return recordings.root_folder(current_app.instance_path,
                                  current_app.config.get("RECORDINGS_DIR"))


@bp.route(f"{E}/live/recordings")
@requires("live.join")
def list_recordings() -> str:
    grant = current_grant()
    rows = db.session.scalars(scoped(select(LiveRecording).order_by(
        LiveRecording.started_at.desc()), g.event))
    visible = [r for r in rows if recordings.may_watch(current_user, grant, r)]
    return render_template("live/recordings.html", recordings=visible,
                           enabled=recordings.enabled(db.session, g.event),
                           may_switch=roles_may(grant.roles, "events.manage"))


@bp.route(f"{E}/live/recordings/<int:recording_id>")
@requires("live.join")
def show_recording(recording_id: int) -> str:
    recording = _watched(recording_id)
    files = {str(f.get("kind")): str(f.get("name")) for f in recording.files}
    return render_template(
        "live/recording.html", recording=recording, files=files,
        may_manage=roles_may(current_grant().roles, "events.manage"),
        muxer_installed=recordings.muxer_path(current_app.config.get("FFMPEG")) is not None,
        tracks=recording_captions.tracks(db.session, recording), label=track_label,
        languages=captions.LANGUAGES,
        may_upload=recording_captions.may_upload(current_user, current_grant(), recording))


@bp.route(f"{E}/live/recordings/<int:recording_id>/captions/<any(zh, en):language>.vtt")
@requires("live.join")
def captions_file(recording_id: int, language: str) -> Response:
    recording = _watched(recording_id)
    text = recording_captions.track(db.session, recording, language)
    if text is None:
        abort(404)
    response = Response(text, mimetype="text/vtt")
    name = f"pitch-{recording.id}-{language}.vtt"
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route(f"{E}/live/recordings/<int:recording_id>/captions/upload", methods=["POST"])
@requires("live.join")
def upload_captions(recording_id: int) -> Response:
    recording = _watched(recording_id)
    if not recording_captions.may_upload(current_user, current_grant(), recording):
        deny(f"may not upload captions of recording {recording_id}")
    language = request.form.get("language", "")
    upload = request.files.get("file")
    back = redirect(url_for("recordings.show_recording", recording_id=recording.id))
    if upload is None or not upload.filename:
        flash(str(UPLOAD_ERRORS["missing"]), "danger")
        return back
    try:
        recording_captions.upload(db.session, recording, language,
                                  upload.read(captions.MAX_BYTES + 1), upload.filename,
                                  current_user)  # type: ignore[arg-type]
    except captions.CaptionFileError as error:
        db.session.rollback()
        flash(str(UPLOAD_ERRORS[error.key]) % {"detail": error.detail[:120]}, "danger")
        return back
    db.session.commit()
    flash(_("The %(language)s captions of this recording are now the file you uploaded.",
            language=track_label(language)), "success")
    return back


@bp.route(f"{E}/live/recordings/<int:recording_id>/<name>")
@requires("live.join")
def download_recording(recording_id: int, name: str) -> Response:
    recording = _watched(recording_id)
    path = recordings.file_path(recording, _root(), name)  # type: ignore[arg-type]
    if path is None:
        abort(404)
    mimetype = "audio/ogg" if path.suffix == ".opus" else "video/webm"
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=path.name,
                     conditional=True)


@bp.route(f"{E}/live/recordings/setting", methods=["POST"])
@requires("events.manage")
def set_recording() -> Response:
    on = request.form.get("enabled") == "1"
    recordings.set_enabled(db.session, g.event, on, current_user)
    db.session.commit()
    flash(_("The pitches of this event's live sessions are recorded when their presenters agree.")
          if on else _("The pitches of this event's live sessions are no longer recorded."),
          "success")
    return redirect(url_for("recordings.list_recordings"))


@bp.route(f"{E}/live/<int:session_id>/recording-consent", methods=["POST"])
@requires("live.join")
def answer_consent(session_id: int) -> Response:
    pitch_session = get_in_event(db.session, PitchSession, session_id, g.event)
    if pitch_session is None:
        abort(404)
    member = membership.membership(db.session, current_user, current_grant(), pitch_session)
    application = get_in_event(db.session, Application, request.form.get("application_id", 0,
                                                                          type=int), g.event)
    if member is None or application is None or application.applicant_id != current_user.id:
        abort(404)  # only the presenter answers for their project (as for a docking answer)
    consented = request.form.get("consent") == "yes"
    recordings.answer_consent(db.session, application, current_user, consented)  # type: ignore[arg-type]
    if not consented:  # a recording under way stops, and what it holds is deleted
        live_room = room_events.get_room(db.session, pitch_session)
        recordings.withdraw(db.session, janus.for_room(current_app.config, live_room.id),
                            application, _root())  # type: ignore[arg-type]
    db.session.commit()
    flash(_("Thank you: your pitch will be recorded and shown to the event's judges and districts.")
          if consented else _("Your pitch will not be recorded."), "success")
    return redirect(url_for("live.room", session_id=session_id))
