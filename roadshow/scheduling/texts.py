"""The schedule's sentences: errors, solver warnings, reasons a finalist is unplaced, answer and
slot labels. Translated when called, so each reads in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from roadshow.applications.models import Application
from roadshow.i18n import format_when
from roadshow.scheduling import exceptions
from roadshow.scheduling.models import RsvpStatus, Slot, SlotKind


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
