"""Availability (applicants: when they can pitch, in their zone) and attendance (judges and
recruiters: which sessions they attend)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from roadshow.access import current_grant, requires
from roadshow.accounts.roles import Role
from roadshow.core.actions import attempt
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.i18n import format_date
from roadshow.scheduling import availability_and_attendance, exceptions, queries
from roadshow.scheduling.blueprint import bp, this_event
from roadshow.scheduling.texts import error_message


def _parse_time(value: str) -> time | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise exceptions.ScheduleError("bad_time") from None


@bp.route(f"{E}/schedule/availability", methods=["GET", "POST"])
@requires("schedule.availability")
def availability() -> Any:
    event = this_event()
    if Role.APPLICANT not in current_grant().roles:
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


@bp.route(f"{E}/schedule/attendance", methods=["GET", "POST"])
@requires("schedule.availability")
def attendance() -> Any:
    event = this_event()
    grant = current_grant()
    if not grant.roles & {Role.JUDGE, Role.RECRUITER}:
        return redirect(url_for("scheduling.availability"))
    sessions = queries.sessions_of(db.session, event)
    if request.method == "POST":
        ids = [int(v) for v in request.form.getlist("session_id") if v.isdigit()]
        if attempt(lambda: availability_and_attendance.set_attendance(db.session, current_user, event, ids, grant),
                   refused=exceptions.ScheduleError, say=error_message).ok:
            flash(_("Your sessions were saved: you attend %(count)d.", count=len(ids)), "success")
            return redirect(url_for("scheduling.attendance"))
    attending = availability_and_attendance.attending_ids(db.session, current_user, event)
    return render_template("scheduling/attendance.html", event=event, sessions=sessions, attending=attending)
