"""The organizer's editor: sessions, the proposal, hand placements, publishing and sending the
invitations (a background job with its progress)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from roadshow.access import requires
from roadshow.applications.models import Application
from roadshow.core.actions import act, attempt
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.models import Event
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.jobs import services as job_services
from roadshow.jobs.queue import job_queue
from roadshow.scheduling import (
    calendar_entries,
    exceptions,
    feeds,
    figures,
    pitch_sessions,
    placement,
    proposals,
    queries,
    sending,
    solver,
)
from roadshow.scheduling.blueprint import bp, session_or_404, slot_or_404, this_event
from roadshow.scheduling.forms import SessionForm
from roadshow.scheduling.jobs import SEND_INVITES
from roadshow.scheduling.models import SlotKind
from roadshow.scheduling.texts import error_message, minutes_text, unplaced_text, warning_text
from roadshow.scoping import get_in_event, scoped


def _session_form(event: Event, form: SessionForm) -> None:
    form.track_id.choices = [SelectChoice(0, _("Any track"))] + [
        SelectChoice(t.id, localized(t, "name")) for t in event.tracks]
    districts = event.districts or db.session.scalars(
        select(District).where(District.organisation_id == event.organisation_id)
        .order_by(District.id)).all()
    form.district_ids.choices = [SelectChoice(d.id, localized(d, "name")) for d in districts]


def _data_of(form: SessionForm) -> pitch_sessions.SessionData:
    return pitch_sessions.SessionData(
        title_zh=form.title_zh.data or "", title_en=form.title_en.data or "", day=form.day.data,
        start=form.start.data, end=form.end.data, track_id=form.track_id.data or None,
        join_url=form.join_url.data or "", pitch_minutes=form.pitch_minutes.data,
        qa_minutes=form.qa_minutes.data, breaks=pitch_sessions.parse_breaks(form.breaks.data or ""),
        district_ids=list(form.district_ids.data or []), district_minutes=form.district_minutes.data)


@bp.route(f"{E}/schedule/manage")
@requires("schedule.manage")
def manage() -> str:
    event = this_event()
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
    rsvps = feeds.rsvps_by_uid(db.session, event)
    pitch_slots = [s for ps in sessions for s in ps.slots if s.kind == SlotKind.PITCH]
    finalists = queries.finalists(db.session, event)
    return render_template(
        "scheduling/manage.html", event=event, sessions=sessions, warn_by_slot=warn_by_slot,
        warnings=warnings, unplaced=unplaced, reasons=reasons, unplaced_text=unplaced_text,
        rsvps=rsvps, finalists=finalists, pitch_slots=pitch_slots,
        histogram=figures.local_hour_histogram(db.session, event),
        sent=figures.sent_counts(db.session, event),
        job=figures.latest_job(db.session, event, SEND_INVITES),
        pending=len(sending.plan_invites(db.session, event)),
        drafts=sum(1 for s in sessions if not s.is_published),
        slot_uid=lambda s: calendar_entries.slot_uid(s, event), session_uid=calendar_entries.session_uid,
        availability=proposals.availability_overview(db.session, event),
        now=utcnow(),
    )


@bp.route(f"{E}/schedule/manage/sessions/new", methods=["GET", "POST"])
@bp.route(f"{E}/schedule/manage/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires("schedule.manage")
def session_form(session_id: int | None = None) -> Any:
    event = this_event()
    pitch_session = session_or_404(session_id, event) if session_id else None
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
        outcome = attempt(lambda: pitch_sessions.save_session(db.session, current_user, event, _data_of(form),
                                                              pitch_session),
                          refused=exceptions.ScheduleError, say=error_message)
        if outcome.ok and (saved := outcome.value) is not None:
            count = sum(1 for s in saved.slots if s.kind == SlotKind.PITCH)
            flash(ngettext("The session was saved with %(count)d pitch slot.",
                           "The session was saved with %(count)d pitch slots.", count, count=count), "success")
            return redirect(url_for("scheduling.manage") + f"#session-{saved.id}")
    else:
        flash(_("Please correct the marked fields."), "danger")
    return render_template("scheduling/session_form.html", event=event, form=form,
                           pitch_session=pitch_session)


@bp.route(f"{E}/schedule/manage/sessions/<int:session_id>/delete", methods=["POST"])
@requires("schedule.manage")
def session_delete(session_id: int) -> Response:
    event = this_event()
    pitch_session = session_or_404(session_id, event)
    return act(lambda: pitch_sessions.delete_session(db.session, current_user, pitch_session),
               done=_("The session was deleted. Send the invites to cancel it in everyone's calendar."),
               done_category="info", to=url_for("scheduling.manage"))


@bp.route(f"{E}/schedule/manage/propose", methods=["POST"])
@requires("schedule.manage")
def propose() -> Response:
    event = this_event()
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
    apps = {a.id: a for a in db.session.scalars(scoped(
        select(Application).where(Application.id.in_([w.application_id for w in found])), event))}
    for w in found:
        flash(warning_text(w, {}, apps), "warning")


def _apply_edit(event: Event, edit: Callable[[], list[solver.Warning]]) -> None:
    """One hand edit of the schedule: commit it and show its warnings, or roll back and say why."""
    outcome = attempt(edit, refused=exceptions.ScheduleError, say=error_message)
    if outcome.ok:
        _flash_warnings(outcome.value or [], event)


@bp.route(f"{E}/schedule/manage/slots/<int:slot_id>/place", methods=["POST"])
@requires("schedule.manage")
def place(slot_id: int) -> Response:
    event = this_event()
    slot = slot_or_404(slot_id, event)
    app_id = request.form.get("application_id", type=int) or 0
    application = get_in_event(db.session, Application, app_id, event) if app_id else None
    if app_id and application is None:
        abort(404)
    given = request.form.get("given") == "1"  # recording a past pitch: sends nothing
    _apply_edit(event, lambda: placement.place(db.session, current_user, slot, application, given=given))
    return redirect(url_for("scheduling.manage") + f"#slot-{slot.id}")


@bp.route(f"{E}/schedule/manage/swap", methods=["POST"])
@requires("schedule.manage")
def swap() -> Response:
    event = this_event()
    slot = slot_or_404(request.form.get("slot_id", type=int) or 0, event)
    target = slot_or_404(request.form.get("target_id", type=int) or 0, event)
    _apply_edit(event, lambda: placement.swap(db.session, current_user, slot, target))
    return redirect(url_for("scheduling.manage") + f"#slot-{target.id}")


@bp.route(f"{E}/schedule/manage/slots/<int:slot_id>/pin", methods=["POST"])
@requires("schedule.manage")
def pin(slot_id: int) -> Response:
    event = this_event()
    slot = slot_or_404(slot_id, event)
    return act(lambda: placement.set_pinned(db.session, current_user, slot, request.form.get("pinned") == "1"),
               refused=exceptions.ScheduleError, say=error_message,
               to=url_for("scheduling.manage") + f"#slot-{slot.id}")


@bp.route(f"{E}/schedule/manage/publish", methods=["POST"])
@requires("schedule.manage")
def publish() -> Response:
    event = this_event()
    return act(lambda: pitch_sessions.publish(db.session, current_user, event),
               done=lambda count: ngettext("%(count)d session published. Everyone now sees it; send the invites next.",
                                           "%(count)d sessions published. Everyone now sees them; send the invites next.",
                                           count, count=count),
               to=url_for("scheduling.manage"))


@bp.route(f"{E}/schedule/manage/sessions/<int:session_id>/unpublish", methods=["POST"])
@requires("schedule.manage")
def unpublish(session_id: int) -> Response:
    pitch_session = session_or_404(session_id, this_event())
    return act(lambda: pitch_sessions.unpublish(db.session, current_user, pitch_session),
               done=_("The session is a draft again. Send the invites to cancel it in calendars."),
               done_category="info", to=url_for("scheduling.manage"))


@bp.route(f"{E}/schedule/manage/send", methods=["POST"])
@requires("schedule.manage")
def send() -> Response:
    """Hand the sending to the job queue and show its progress; pressing again while it runs
    shows the running one."""
    event = this_event()
    job, created = job_services.start(db.session, current_user, SEND_INVITES, event_id=event.id,
                                      total=len(sending.plan_invites(db.session, event)))
    db.session.commit()
    if created:
        job_queue().enqueue(job)
    return redirect(url_for("jobs.status", background_job_id=job.id))
