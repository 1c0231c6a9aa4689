"""Live pages: the list of rooms, a room for each role, deck slides, the docking board and
turning a docking request into a meeting with a calendar invitation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from roadshow.access import current_grant, deny, grant_in_event, requires, roles_may
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.i18n import (
    current_locale_code,
    format_time,
    format_when,
    select_timezone_name,
    zone_label,
)
from roadshow.live import (
    bilingual,
    district_docking,
    followup,
    media,
    membership,
    programme,
    recordings,
    room_events,
)
from roadshow.live.decks import DeckUnavailableError, page_image
from roadshow.live.forms import FollowUpAnswerForm, MeetingForm
from roadshow.live.meetings import send_meeting_invites
from roadshow.live.models import DockingAnswer, DockingRequest
from roadshow.organisations.grants import Grant
from roadshow.review import figures
from roadshow.scheduling.feeds import event_ids_of
from roadshow.scheduling.models import PitchSession
from roadshow.scoping import get_in_event
from roadshow.security import CONTENT_SECURITY_POLICY

#: no prefix: a room and the docking board live under their event (/e/<slug>/live/...), the
#: list of rooms (/live/) spans every event of the user
bp = Blueprint("live", __name__)


def _my_grants() -> dict[int, Grant]:
    """The signed-in user's grant in each event running live rooms that they take part in."""
    ids = event_ids_of(db.session, current_user)
    if not ids:
        return {}
    events = db.session.scalars(select(Event).where(Event.id.in_(sorted(ids))).order_by(Event.id))
    return {event.id: grant_in_event(event) for event in events if event.has_stage("live")}


@bp.route("/live/")
@requires("live.join")
def index() -> str:
    now = utcnow()
    grants = _my_grants()
    rows = membership.live_sessions_now(db.session, current_user, grants, now)
    past = [s for s in membership.sessions_across(db.session, current_user, grants)
            if s.ends_at < now - timedelta(hours=2)]
    boards = [event for event in db.session.scalars(
        select(Event).where(Event.id.in_(sorted(grants))).order_by(Event.id))
        if roles_may(grants[event.id].roles, "live.docking") and event.has_stage("review")]
    return render_template("live/index.html", rows=rows, past=past, now=now, boards=boards)


def _load_room(session_id: int) -> tuple[PitchSession, membership.Member]:
    pitch_session = get_in_event(db.session, PitchSession, session_id, g.event)
    if pitch_session is None:
        abort(404)
    member = membership.membership(db.session, current_user, current_grant(), pitch_session)
    if member is None:
        deny(f"not in the audience of session {session_id}")
    return pitch_session, member  # type: ignore[return-value]


@bp.route(f"{E}/live/<int:session_id>")
@requires("live.join")
def room(session_id: int) -> Response:
    pitch_session, member = _load_room(session_id)
    live_room = room_events.get_room(db.session, pitch_session)
    db.session.commit()
    zone = select_timezone_name()
    times = {slot.id: (_clock(slot.starts_at, zone), _clock(slot.ends_at, zone))
             for slot in room_events.programme_slots(pitch_session)}
    response = make_response(render_template(
        "live/room.html", pitch_session=pitch_session, member=member,
        role_label=_role_label(member.role), live_room=live_room,
        program=programme.program(db.session, pitch_session), zone=zone, times=times,
        score_digits=figures.TOTAL_DIGITS, mesh_limit=media.MESH_LIMIT,
        recording_questions=recordings.questions(db.session, g.event, member.presents)))
    # the stage's video: this page (and only this one) may ask for the camera, the microphone
    # and the screen; every other page keeps them off (roadshow.security)
    response.headers["Permissions-Policy"] = media.PERMISSIONS_POLICY
    janus_urls = current_app.config.get("JANUS_PUBLIC_URL")
    if janus_urls:  # the page talks to the media servers' HTTP API
        response.headers["Content-Security-Policy"] = media.with_connect_sources(
            CONTENT_SECURITY_POLICY, janus_urls.split(","))
    return response


def _role_label(part: str) -> str:
    """The user's part in the room, named as the rest of the app names it: a judge and a
    district's recruiter by their account roles; the parts only a room has by their own."""
    return {
        membership.HOST: _("Host"),
        membership.JUDGE: Role.JUDGE.label,
        membership.DISTRICT: Role.RECRUITER.label,
        membership.PRESENTER: _("Presenter"),
        membership.VIEWER: _("Audience"),
    }[part]


def _clock(value: datetime, zone: str) -> str:
    """Only the time of day in ``zone``: the programme names its zone once, in its heading."""
    tz = ZoneInfo(zone)
    return format_skeleton("Hm", value.astimezone(tz), tzinfo=tz,
                           locale=Locale.parse(current_locale_code()))


@bp.app_template_global("live_time_range")
def time_range(starts_at: datetime, ends_at: datetime, zone: str | None = None) -> str:
    """``Thu, Jun 11, 2026, 14:00 – 17:40 (Asia/Shanghai, GMT+08:00)``: a span in ``zone``
    (default: the reader's) naming the zone once; the end gives its day only when it falls on
    another, and each end names its own offset when the clocks change in between."""
    zone = zone or select_timezone_name()
    tz = ZoneInfo(zone)
    same_day = starts_at.astimezone(tz).date() == ends_at.astimezone(tz).date()
    end = format_time(ends_at, zone) if same_day else format_when(ends_at, zone)
    start = format_when(starts_at, zone)
    first_zone, last_zone = f" ({zone_label(zone, starts_at)})", f" ({zone_label(zone, ends_at)})"
    if first_zone != last_zone:
        return f"{start} – {end}"
    return f"{start.removesuffix(first_zone)} – {end}"


@bp.route(f"{E}/live/<int:session_id>/deck/<int:application_id>/<int:page>.png")
@requires("live.join")
def deck_page(session_id: int, application_id: int, page: int) -> Response:
    pitch_session, _member = _load_room(session_id)
    if application_id not in {s.application_id for s in pitch_session.slots}:
        abort(404)
    application = get_in_event(db.session, Application, application_id, pitch_session.event_id)
    deck = application.deck if application else None
    if deck is None or deck.content_type != "application/pdf":
        abort(404)
    source = Path(current_app.config["UPLOAD_FOLDER"]) / "decks" / deck.stored_name
    cache = Path(current_app.instance_path) / "live_decks"
    try:
        image = page_image(source, deck.sha256, page, cache)
    except DeckUnavailableError:
        abort(404)
    response = Response(image.read_bytes(), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route(f"{E}/live/docking")
@requires("live.docking")
def docking_board() -> str:
    event: Event = g.event
    grant = current_grant()
    requests = district_docking.docking_board(db.session, current_user, grant, event.id)
    return render_template("live/docking.html", requests=requests, event=event,
                           may_draft=roles_may(grant.roles, "signing.draft"),
                           may_arrange=lambda r: district_docking.may_arrange_meeting(grant, r))


@bp.route(f"{E}/live/docking/<int:request_id>/meeting", methods=["GET", "POST"])
@requires("live.arrange")
def arrange_meeting(request_id: int) -> str | Response:
    docking = get_in_event(db.session, DockingRequest, request_id, g.event)
    if docking is None:
        abort(404)
    grant = current_grant()
    if not district_docking.may_arrange_meeting(grant, docking):
        deny(f"docking request {request_id} belongs to another district")
    zone = current_user.timezone
    form = MeetingForm()
    if not form.is_submitted() and docking.meeting_starts_at is not None:
        form.starts_at.data = docking.meeting_starts_at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        form.minutes.data = int((docking.meeting_ends_at - docking.meeting_starts_at).total_seconds() // 60)  # type: ignore[operator]
        form.url.data = docking.meeting_url
    if form.validate_on_submit():
        try:
            starts_at = followup.typed_time(form.starts_at.data, zone, utcnow())  # type: ignore[arg-type]
        except followup.AnswerError as error:
            form.starts_at.errors = [_time_problem(error.code, zone, _("Choose a time in the future."))]
        else:
            district_docking.arrange_meeting(db.session, docking, current_user, grant, starts_at,
                                             form.minutes.data or 30, form.url.data or "")
            count = send_meeting_invites(db.session, docking, current_user)
            db.session.commit()
            flash(ngettext("The meeting is arranged; %(count)s invitation with a calendar file was sent.",
                           "The meeting is arranged; %(count)s invitations with a calendar file were sent.",
                           count, count=count), "success")
            return redirect(url_for("live.docking_board"))
    return render_template("live/meeting.html", form=form, docking=docking, zone=zone,
                           now=datetime.now(UTC))


def _time_problem(code: str, zone: str, past: str) -> str:
    """What is wrong with a typed follow-up time, in the reader's language."""
    if code == "time_missing":
        return _("That time does not exist in %(zone)s: the clocks skip it. Choose another time.",
                 zone=zone)
    if code == "too_far":
        return _("Choose a time within the next year.")
    return past


@bp.route(f"{E}/live/docking/<int:request_id>/answer", methods=["GET", "POST"])
@requires("live.docking")
def answer_request(request_id: int) -> str | Response:
    """The applicant accepts a district's request, proposes times, or declines."""
    docking = get_in_event(db.session, DockingRequest, request_id, g.event)
    if docking is None or not followup.may_answer(current_user, docking):
        abort(404)
    zone = ZoneInfo(current_user.timezone)
    form = FollowUpAnswerForm()
    fields = (form.time_1, form.time_2, form.time_3)
    if not form.is_submitted() and docking.answer is not None:
        form.answer.data = docking.answer.value
        form.note.data = docking.answer_note
        for field, when in zip(fields, followup.proposed_datetimes(docking), strict=False):
            field.data = when.astimezone(zone).replace(tzinfo=None)
    if form.validate_on_submit():
        now, times = utcnow(), []
        for typed in fields if form.answer.data == DockingAnswer.PROPOSED.value else ():
            if typed.data:
                try:
                    times.append(followup.typed_time(typed.data, current_user.timezone, now))
                except followup.AnswerError as error:
                    typed.errors = [_time_problem(error.code, current_user.timezone,
                                                  _("Choose times in the future."))]
        try:
            if any(typed.errors for typed in fields):
                raise followup.AnswerError("typed_times")
            followup.answer_request(docking, current_user, DockingAnswer(form.answer.data),
                                    times, form.note.data or "", now)
        except followup.AnswerError as error:
            if error.code == "no_times":
                form.time_1.errors = [_("Give at least one time that suits you.")]
            elif error.code != "typed_times":
                form.time_1.errors = [_time_problem(error.code, current_user.timezone,
                                                    _("Choose times in the future."))]
        else:
            followup.tell_district(db.session, docking)
            db.session.commit()
            flash(_("Your answer is sent. %(district)s sees it on its docking board.",
                    district=bilingual.localized(docking.district, "name")), "success")
            return redirect(url_for("live.docking_board"))
    return render_template("live/answer.html", form=form, docking=docking,
                           zone=current_user.timezone)


@bp.app_template_global()
def proposed_times(docking: DockingRequest) -> list[datetime]:
    return followup.proposed_datetimes(docking)
