"""Recordings of pitches (roadshow.live.recordings): the event's list for its organizers, judges
and districts' recruiters (a presenter sees their own), each file downloaded through Roadshow
after the access check; the organizer's switch; a presenter's consent in the live room."""

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
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from roadshow.access import current_grant, deny, requires, roles_may
from roadshow.applications.models import Application
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.live import janus, membership, recordings, room_events
from roadshow.live.models import LiveRecording
from roadshow.scheduling.models import PitchSession
from roadshow.scoping import get_in_event, scoped

bp = Blueprint("recordings", __name__)


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


@bp.route(f"{E}/live/recordings/<int:recording_id>/<name>")
@requires("live.join")
def download_recording(recording_id: int, name: str) -> Response:
    recording = get_in_event(db.session, LiveRecording, recording_id, g.event)
    if recording is None:
        abort(404)
    if not recordings.may_watch(current_user, current_grant(), recording):
        deny(f"not a watcher of recording {recording_id}")
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
