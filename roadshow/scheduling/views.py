"""Schedule pages: the programme in everyone's zone, availability, attendance, the organizer's
editor, invites with progress, calendar downloads and feeds, RSVPs. Thin: load, check, call a
service, commit once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from roadshow.access import public, requires
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.loaders import current_event_or_404
from roadshow.events.models import Event
from roadshow.events.services import current_event, phase_info
from roadshow.extensions import db
from roadshow.i18n import format_date, format_when, localized
from roadshow.jobs import services as job_services
from roadshow.jobs.queue import job_queue
from roadshow.scheduling import (
    availability_and_attendance,
    calendar_entries,
    exceptions,
    feeds,
    figures,
    invites,
    pitch_sessions,
    placement,
    proposals,
    queries,
    rooms,
    sending,
    solver,
)
from roadshow.scheduling.forms import RsvpForm, SessionForm
from roadshow.scheduling.jobs import SEND_INVITES
from roadshow.scheduling.models import (
    PitchSession,
    RsvpStatus,
    Slot,
    SlotKind,
)

log = logging.getLogger("roadshow.scheduling")

bp = Blueprint("scheduling", __name__, url_prefix="/schedule")

ICS = "text/calendar; charset=utf-8"


# --- helpers for templates ------------------------------------------------------------------

def error_message(error: exceptions.ScheduleError) -> str:
    p = error.params
    return {
        "break_format": _("Could not read the break “%(text)s”. Write breaks as 12:00-12:30, separated by commas.", text=p.get("text", "")),
        "break_order": _("The break “%(text)s” ends before it starts.", text=p.get("text", "")),
        "time_missing": _("That time does not exist in %(zone)s (the clocks change then). Choose another time.", zone=p.get("zone", "")),
        "too_long": _("A session can last at most 14 hours. Split it into two sessions."),
        "session_same_times": _("The session must end at a different time than it starts."),
        "slot_too_short": _("A pitch slot (pitch plus questions) must last at least 5 minutes."),
        "break_outside": _("Every break must fall between the start and the end of the session."),
        "districts_overflow": _("The district presentations take longer than the session. Choose fewer districts or shorter presentations."),
        "no_pitch_slots": _("No pitch slot fits in this session. Make it longer or the slots shorter."),
        "unknown_session": _("One of the chosen sessions no longer exists. Reload the page and choose again."),
        "not_pitch_slot": _("Only pitch slots can hold a finalist."),
        "not_finalist": _("Only finalists of this event can be placed."),
        "other_event": _("Both slots must belong to the same event."),
        "not_invited": _("You were not invited to this appointment."),
        "empty_day": _("Enter both a start and an end time, or leave both empty."),
        "bad_time": _("Enter times as HH:MM, for example 07:30."),
        "same_times": _("The window must end at a different time than it starts. For a window past midnight, enter an earlier end time, for example 22:00 to 02:00."),
        "bad_zone": _("Choose a time zone from the list."),
        "slot_past": _("This slot started at %(when)s, which has passed: no invitation can be sent for it. Choose a slot still to come, or use “Record as given” for a pitch that took place.",
                       when=format_when(p["when"]) if p.get("when") else ""),
        "given_future": _("Only a pitch in a slot that has already started can be recorded as given."),
    }.get(error.code, _("The change could not be made."))


def warning_text(warning: Any, slots: dict[int, Slot], apps: dict[int, Application]) -> str:
    app = apps.get(warning.application_id)
    name = app.applicant.name if app else str(warning.application_id)
    if warning.kind == "double_booked":
        count = len(warning.slot_ids)
        return ngettext("%(name)s is booked in %(count)d slot.", "%(name)s is booked in %(count)d slots.",
                        count, name=name, count=count)
    if warning.kind == "no_availability":
        return _("%(name)s has not stated any availability.", name=name)
    return _("%(name)s's slot is outside their availability.", name=name)


def unplaced_text(reason: Any) -> str:
    if reason is None:
        return _("Not placed yet: run the proposal or place by hand.")
    if reason.reason == "no_availability":
        return _("States no availability at all.")
    if reason.reason == "outside_availability":
        return _("No slot falls inside their availability: add a session at hours that suit their zone, or ask them to widen their availability.")
    count = len(reason.feasible_slots)
    return ngettext("Competes with %(names)s for the %(count)d slot that fits them all: there are more of them than slots.",
                    "Competes with %(names)s for %(count)d slots that fit them all: there are more of them than slots.",
                    count, names=", ".join(reason.competitors) or "-", count=count)


def minutes_text(minutes: int) -> str:
    """``1 minute`` / ``12 minutes``, for sentences that count something else as well."""
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def rsvp_label(status: RsvpStatus | str | None) -> str:
    labels = {
        RsvpStatus.NEEDS_ACTION: _("No answer yet"),
        RsvpStatus.ACCEPTED: _("Accepted"),
        RsvpStatus.DECLINED: _("Declined"),
        RsvpStatus.TENTATIVE: _("Tentative"),
    }
    return labels[RsvpStatus(status)] if status else labels[RsvpStatus.NEEDS_ACTION]


def slot_kind_label(kind: SlotKind) -> str:
    return {SlotKind.PITCH: _("Pitch"), SlotKind.DISTRICT: _("District presentation"),
            SlotKind.BREAK: _("Break")}[kind]


@bp.app_context_processor
def _scheduling_helpers() -> dict[str, Any]:
    return {"schedule_dashboard": schedule_dashboard, "rsvp_label": rsvp_label,
            "slot_kind_label": slot_kind_label}


def schedule_dashboard() -> dict[str, Any] | None:
    if not current_user.is_authenticated:
        return None
    event = current_event(db.session)
    if event is None:
        return None
    sessions = queries.sessions_of(db.session, event)
    published = [s for s in sessions if s.is_published]
    data: dict[str, Any] = {"event": event, "sessions": len(sessions), "published": len(published)}
    if current_user.role == Role.ORGANIZER:
        data["unplaced"] = len(proposals.unplaced(db.session, event)) if sessions else None
        data["pitches"] = sum(1 for s in sessions for slot in s.slots
                              if slot.kind == SlotKind.PITCH and slot.application_id)
    elif current_user.role == Role.APPLICANT:
        app = queries.application_of(db.session, current_user, event)
        data["application"] = app
        data["slot"] = queries.slot_of_application(db.session, app) if app else None
        # the invitation to answer, on the dashboard itself
        data["rsvp_uid"] = calendar_entries.pitch_uid(app.id, event) if data["slot"] else None
        data["my_rsvps"] = feeds.my_rsvps(db.session, current_user) if data["slot"] else {}
        info = phase_info(event)
        # closed for good (by date or by hand), not merely not open yet
        data["call_closed"] = not info.call_open and not info.call_upcoming
    else:
        data["attending"] = len(availability_and_attendance.attending_ids(db.session, current_user, event))
    return data


_event = current_event_or_404


def _session_or_404(session_id: int, event: Event) -> PitchSession:
    found = db.session.get(PitchSession, session_id)
    if found is None or found.event_id != event.id:
        abort(404)
    return found


def _slot_or_404(slot_id: int, event: Event) -> Slot:
    found = db.session.get(Slot, slot_id)
    if found is None or found.session.event_id != event.id:
        abort(404)
    return found


def _ics(data: bytes, filename: str, *, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype="text/calendar", headers={
        "Content-Type": ICS, "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "private, max-age=0, no-store"})


# --- the programme, for everyone ----------------------------------------------------------------

def _room_ids(sessions: list[PitchSession]) -> set[int]:
    """The sessions whose live rooms the signed-in user may enter, to link them."""
    return rooms.enterable(db.session, current_user, sessions)


@bp.route("/")
@requires("schedule.view")
def index() -> str:
    event = _event()
    is_organizer = current_user.role == Role.ORGANIZER
    sessions = queries.sessions_of(db.session, event, published_only=not is_organizer)
    mine = feeds.my_entries(db.session, current_user, event)
    my_uids = {d.uid for d in mine}
    application = (queries.application_of(db.session, current_user, event)
                   if current_user.role == Role.APPLICANT else None)
    my_slot = queries.slot_of_application(db.session, application) if application else None
    attending = availability_and_attendance.attending_ids(db.session, current_user, event)
    room_ids = _room_ids(sessions)
    db.session.commit()
    return render_template(
        "scheduling/index.html", event=event, sessions=sessions, mine=mine, my_uids=my_uids,
        room_ids=room_ids,
        my_rsvps=feeds.my_rsvps(db.session, current_user), application=application,
        my_slot=my_slot, attending=attending, is_organizer=is_organizer,
        slot_uid=lambda s: calendar_entries.slot_uid(s, event), session_uid=calendar_entries.session_uid,
        rsvp_form=RsvpForm(),
    )


@bp.route("/slots/<int:slot_id>.ics")
@requires("schedule.view")
def slot_ics(slot_id: int) -> Response:
    event = _event()
    slot = _slot_or_404(slot_id, event)
    if not slot.session.is_published and current_user.role != Role.ORGANIZER:
        abort(404)
    occurrence = feeds.occurrence_for(db.session, current_user, event, slot=slot)
    if occurrence is None:
        abort(404)
    data = invites.feed([occurrence], zone=current_user.timezone, locale=current_user.locale,
                        name=localized(event, "title"))
    return _ics(data, f"roadshow-slot-{slot.id}.ics")


@bp.route("/sessions/<int:session_id>.ics")
@requires("schedule.view")
def session_ics(session_id: int) -> Response:
    event = _event()
    pitch_session = _session_or_404(session_id, event)
    if not pitch_session.is_published and current_user.role != Role.ORGANIZER:
        abort(404)
    occurrence = feeds.occurrence_for(db.session, current_user, event, pitch_session=pitch_session)
    if occurrence is None:
        abort(404)
    data = invites.feed([occurrence], zone=current_user.timezone, locale=current_user.locale,
                        name=localized(event, "title"))
    return _ics(data, f"roadshow-session-{pitch_session.id}.ics")


@bp.route("/rsvp", methods=["POST"])
@requires("schedule.view")
def rsvp() -> Response:
    form = RsvpForm()
    if not form.validate_on_submit():
        flash(_("Choose whether you accept or decline."), "danger")
        return redirect(url_for("scheduling.index"))
    try:
        feeds.set_rsvp(db.session, current_user, form.uid.data, RsvpStatus(form.status.data),
                          form.comment.data or "")
    except exceptions.ScheduleError as error:
        db.session.rollback()
        flash(error_message(error), "danger")
        return redirect(url_for("scheduling.index"))
    db.session.commit()
    flash(_("Your answer was saved: %(answer)s.", answer=rsvp_label(form.status.data)), "success")
    return redirect(url_for("scheduling.index") + "#mine")


# --- availability (applicants) and attendance (judges, recruiters) --------------------------------

def _parse_time(value: str) -> time | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise exceptions.ScheduleError("bad_time") from None


@bp.route("/availability", methods=["GET", "POST"])
@requires("schedule.availability")
def availability() -> Any:
    event = _event()
    if current_user.role != Role.APPLICANT:
        return redirect(url_for("scheduling.attendance"))
    zone = current_user.timezone
    days = availability_and_attendance.local_days(db.session, event, zone)
    windows, stated = availability_and_attendance.availability_windows(db.session, current_user, event)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        typed = {k: v for k, v in request.form.items() if k != "csrf_token"}
        rows: list[tuple[date, time, time]] = []
        for i, day in enumerate(days):
            for n in (1, 2):
                key = f"d{i}_{n}"
                try:
                    start = _parse_time(request.form.get(f"{key}_from", ""))
                    end = _parse_time(request.form.get(f"{key}_until", ""))
                    if (start is None) != (end is None):
                        raise exceptions.ScheduleError("empty_day")
                    if start is not None and end is not None:
                        availability_and_attendance.check_window(start, end)
                except exceptions.ScheduleError as error:
                    errors[key] = error_message(error)
                    continue
                if start is not None and end is not None:
                    rows.append((day, start, end))
        if not errors:
            try:
                availability_and_attendance.save_availability(db.session, current_user, event, rows, zone)
            except exceptions.ScheduleError as error:
                db.session.rollback()
                errors["form"] = error_message(error)
            else:
                db.session.commit()
                if rows:
                    flash(_("Your availability was saved."), "success")
                else:
                    flash(_("You stated that you cannot pitch at any time. The organizers will contact you."), "warning")
                return redirect(url_for("scheduling.availability"))
        flash(_("Some times could not be read; nothing was saved. Correct the marked rows."), "danger")
    # the form's rows: each local day with up to two windows
    tz = ZoneInfo(zone)
    per_day: dict[date, list[tuple[str, str]]] = {d: [] for d in days}
    for a, b in windows:
        la, lb = a.astimezone(tz), b.astimezone(tz)
        end_text = "23:59" if lb.date() > la.date() and lb.time() == time(0) else f"{lb:%H:%M}"
        if la.date() in per_day:
            per_day[la.date()].append((f"{la:%H:%M}", end_text))
    sessions = queries.sessions_of(db.session, event, published_only=False)
    day_labels = {d: format_date(datetime.combine(d, time(12), tz), zone) for d in days}
    return render_template("scheduling/availability.html", event=event, days=days, per_day=per_day,
                           day_labels=day_labels,
                           stated=stated, errors=errors, typed=typed, zone=zone, sessions=sessions,
                           windows=windows)


@bp.route("/attendance", methods=["GET", "POST"])
@requires("schedule.availability")
def attendance() -> Any:
    event = _event()
    if current_user.role == Role.APPLICANT:
        return redirect(url_for("scheduling.availability"))
    sessions = queries.sessions_of(db.session, event)
    if request.method == "POST":
        ids = [int(v) for v in request.form.getlist("session_id") if v.isdigit()]
        try:
            availability_and_attendance.set_attendance(db.session, current_user, event, ids)
        except exceptions.ScheduleError as error:
            db.session.rollback()
            flash(error_message(error), "danger")
        else:
            db.session.commit()
            flash(_("Your sessions were saved: you attend %(count)d.", count=len(ids)), "success")
            return redirect(url_for("scheduling.attendance"))
    attending = availability_and_attendance.attending_ids(db.session, current_user, event)
    return render_template("scheduling/attendance.html", event=event, sessions=sessions, attending=attending)


# --- the organizer's editor ------------------------------------------------------------------

def _session_form(event: Event, form: SessionForm) -> None:
    form.track_id.choices = [SelectChoice(0, _("Any track"))] + [
        SelectChoice(t.id, localized(t, "name")) for t in event.tracks]
    districts = event.districts or db.session.scalars(select(District).order_by(District.id)).all()
    form.district_ids.choices = [SelectChoice(d.id, localized(d, "name")) for d in districts]


def _data_of(form: SessionForm) -> pitch_sessions.SessionData:
    return pitch_sessions.SessionData(
        title_zh=form.title_zh.data or "", title_en=form.title_en.data or "", day=form.day.data,
        start=form.start.data, end=form.end.data, track_id=form.track_id.data or None,
        join_url=form.join_url.data or "", pitch_minutes=form.pitch_minutes.data,
        qa_minutes=form.qa_minutes.data, breaks=pitch_sessions.parse_breaks(form.breaks.data or ""),
        district_ids=list(form.district_ids.data or []), district_minutes=form.district_minutes.data)


@bp.route("/manage")
@requires("schedule.manage")
def manage() -> str:
    event = _event()
    sessions = queries.sessions_of(db.session, event)
    warnings = proposals.warnings(db.session, event)
    unplaced = proposals.unplaced(db.session, event)
    reasons = proposals.explain(db.session, event) if unplaced else {}
    slots = {s.id: s for ps in sessions for s in ps.slots}
    apps = {s.application_id: s.application for s in slots.values() if s.application}
    apps.update({a.id: a for a in unplaced})
    warn_by_slot: dict[int, list[str]] = {}
    for w in warnings:
        for sid in w.slot_ids:
            warn_by_slot.setdefault(sid, []).append(warning_text(w, slots, apps))
    rsvps = feeds.rsvps_by_uid(db.session)
    pitch_slots = [s for ps in sessions for s in ps.slots if s.kind == SlotKind.PITCH]
    finalists = queries.finalists(db.session, event)
    return render_template(
        "scheduling/manage.html", event=event, sessions=sessions, warn_by_slot=warn_by_slot,
        warnings=warnings, unplaced=unplaced, reasons=reasons, unplaced_text=unplaced_text,
        rsvps=rsvps, finalists=finalists, pitch_slots=pitch_slots,
        histogram=figures.local_hour_histogram(db.session, event),
        sent=figures.sent_counts(db.session, event),
        job=job_services.latest(db.session, SEND_INVITES, event.id),
        pending=len(sending.plan_invites(db.session, event)),
        drafts=sum(1 for s in sessions if not s.is_published),
        slot_uid=lambda s: calendar_entries.slot_uid(s, event), session_uid=calendar_entries.session_uid,
        availability=proposals.availability_overview(db.session, event),
        now=utcnow(),
    )


@bp.route("/manage/sessions/new", methods=["GET", "POST"])
@bp.route("/manage/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires("schedule.manage")
def session_form(session_id: int | None = None) -> Any:
    event = _event()
    pitch_session = _session_or_404(session_id, event) if session_id else None
    form = SessionForm()
    _session_form(event, form)
    if request.method == "GET":
        if pitch_session is not None:
            data = pitch_sessions.session_data_of(pitch_session, event.timezone)
            form.process(data={
                "title_zh": data.title_zh, "title_en": data.title_en, "day": data.day,
                "start": data.start, "end": data.end, "track_id": data.track_id or 0,
                "join_url": data.join_url, "pitch_minutes": data.pitch_minutes,
                "qa_minutes": data.qa_minutes, "breaks": pitch_sessions.format_breaks(pitch_session, event.timezone),
                "district_ids": data.district_ids, "district_minutes": data.district_minutes})
        else:
            start, _end = queries.roadshow_span(event)
            form.day.data = start.astimezone(ZoneInfo(event.timezone)).date()
    elif form.validate_on_submit():
        try:
            saved = pitch_sessions.save_session(db.session, current_user, event, _data_of(form), pitch_session)
        except exceptions.ScheduleError as error:
            db.session.rollback()
            flash(error_message(error), "danger")
        else:
            db.session.commit()
            count = sum(1 for s in saved.slots if s.kind == SlotKind.PITCH)
            flash(ngettext("The session was saved with %(count)d pitch slot.",
                           "The session was saved with %(count)d pitch slots.", count, count=count), "success")
            return redirect(url_for("scheduling.manage") + f"#session-{saved.id}")
    else:
        flash(_("Please correct the marked fields."), "danger")
    return render_template("scheduling/session_form.html", event=event, form=form,
                           pitch_session=pitch_session)


@bp.route("/manage/sessions/<int:session_id>/delete", methods=["POST"])
@requires("schedule.manage")
def session_delete(session_id: int) -> Response:
    event = _event()
    pitch_session = _session_or_404(session_id, event)
    pitch_sessions.delete_session(db.session, current_user, pitch_session)
    db.session.commit()
    flash(_("The session was deleted. Send the invites to cancel it in everyone's calendar."), "info")
    return redirect(url_for("scheduling.manage"))


@bp.route("/manage/propose", methods=["POST"])
@requires("schedule.manage")
def propose() -> Response:
    event = _event()
    result = proposals.propose(db.session, current_user, event)
    db.session.commit()
    if result.status == "empty":
        flash(_("There are no finalists to schedule yet."), "info")
    elif result.unplaced:
        placed = len(result.assignment)
        flash(ngettext("No complete schedule exists: %(placed)d finalist placed, %(count)d could not be. The reasons are listed below.",
                       "No complete schedule exists: %(placed)d finalists placed, %(count)d could not be. The reasons are listed below.",
                       placed, placed=placed, count=len(result.unplaced)), "warning")
    else:
        count = len(result.assignment)
        flash(ngettext("Proposal ready: %(count)d finalist placed; total inconvenience %(minutes)s outside 09:00-19:00 local (%(status)s).",
                       "Proposal ready: all %(count)d finalists placed; total inconvenience %(minutes)s outside 09:00-19:00 local (%(status)s).",
                       count, count=count, minutes=minutes_text(result.objective),
                       status=_("optimal") if result.status == "optimal" else _("best found")), "success")
    return redirect(url_for("scheduling.manage"))


def _flash_warnings(found: list[Any], event: Event) -> None:
    if not found:
        flash(_("Done. No warnings."), "success")
        return
    apps = {a.id: a for a in db.session.scalars(
        select(Application).where(Application.id.in_([w.application_id for w in found])))}
    for w in found:
        flash(warning_text(w, {}, apps), "warning")


def _apply_edit(event: Event, edit: Callable[[], list[solver.Warning]]) -> None:
    """One hand edit of the schedule: commit it and show its warnings, or roll back and say why."""
    try:
        found = edit()
    except exceptions.ScheduleError as error:
        db.session.rollback()
        flash(error_message(error), "danger")
    else:
        db.session.commit()
        _flash_warnings(found, event)


@bp.route("/manage/slots/<int:slot_id>/place", methods=["POST"])
@requires("schedule.manage")
def place(slot_id: int) -> Response:
    event = _event()
    slot = _slot_or_404(slot_id, event)
    app_id = request.form.get("application_id", type=int) or 0
    application = db.session.get(Application, app_id) if app_id else None
    if app_id and application is None:
        abort(404)
    given = request.form.get("given") == "1"  # recording a past pitch: sends nothing
    _apply_edit(event, lambda: placement.place(db.session, current_user, slot, application, given=given))
    return redirect(url_for("scheduling.manage") + f"#slot-{slot.id}")


@bp.route("/manage/swap", methods=["POST"])
@requires("schedule.manage")
def swap() -> Response:
    event = _event()
    slot = _slot_or_404(request.form.get("slot_id", type=int) or 0, event)
    target = _slot_or_404(request.form.get("target_id", type=int) or 0, event)
    _apply_edit(event, lambda: placement.swap(db.session, current_user, slot, target))
    return redirect(url_for("scheduling.manage") + f"#slot-{target.id}")


@bp.route("/manage/slots/<int:slot_id>/pin", methods=["POST"])
@requires("schedule.manage")
def pin(slot_id: int) -> Response:
    event = _event()
    slot = _slot_or_404(slot_id, event)
    try:
        placement.set_pinned(db.session, current_user, slot, request.form.get("pinned") == "1")
    except exceptions.ScheduleError as error:
        db.session.rollback()
        flash(error_message(error), "danger")
    else:
        db.session.commit()
    return redirect(url_for("scheduling.manage") + f"#slot-{slot.id}")


@bp.route("/manage/publish", methods=["POST"])
@requires("schedule.manage")
def publish() -> Response:
    event = _event()
    count = pitch_sessions.publish(db.session, current_user, event)
    db.session.commit()
    flash(ngettext("%(count)d session published. Everyone now sees it; send the invites next.",
                   "%(count)d sessions published. Everyone now sees them; send the invites next.",
                   count, count=count), "success")
    return redirect(url_for("scheduling.manage"))


@bp.route("/manage/sessions/<int:session_id>/unpublish", methods=["POST"])
@requires("schedule.manage")
def unpublish(session_id: int) -> Response:
    event = _event()
    pitch_sessions.unpublish(db.session, current_user, _session_or_404(session_id, event))
    db.session.commit()
    flash(_("The session is a draft again. Send the invites to cancel it in calendars."), "info")
    return redirect(url_for("scheduling.manage"))


@bp.route("/manage/send", methods=["POST"])
@requires("schedule.manage")
def send() -> Response:
    """Hand the sending to the job queue and show its progress; pressing again while it runs
    shows the running one."""
    event = _event()
    job, created = job_services.start(db.session, current_user, SEND_INVITES, event_id=event.id,
                                      total=len(sending.plan_invites(db.session, event)))
    db.session.commit()
    if created:
        job_queue().enqueue(job)
    return redirect(url_for("jobs.status", background_job_id=job.id))


# --- feeds ---------------------------------------------------------------------------------------

@bp.route("/feed")
@requires("schedule.view")
def feed_page() -> str:
    event = _event()
    token = feeds.feed_token(db.session, current_user)
    db.session.commit()
    return render_template("scheduling/feed.html", event=event, token=token,
                           feed_url=url_for("scheduling.feed", token=token.token, _external=True),
                           public_url=url_for("scheduling.event_feed", event_id=event.id, _external=True))


@bp.route("/feed/revoke", methods=["POST"])
@requires("schedule.view")
def feed_revoke() -> Response:
    feeds.revoke_feed_token(db.session, current_user)
    db.session.commit()
    flash(_("The old subscription link no longer works. Subscribe again with the new link below."), "success")
    return redirect(url_for("scheduling.feed_page"))


@bp.route("/feed/<token>.ics")
@public
def feed(token: str) -> Response:
    user = feeds.user_by_feed_token(db.session, token)
    if user is None:
        abort(404)
    data = feeds.personal_feed(db.session, user)
    db.session.commit()
    return _ics(data, "roadshow.ics", inline=True)


@bp.route("/events/<int:event_id>.ics")
@public
def event_feed(event_id: int) -> Response:
    event = db.session.get(Event, event_id)
    if event is None or not event.published:
        abort(404)
    return _ics(feeds.public_feed(db.session, event), f"{event.slug}.ics", inline=True)

