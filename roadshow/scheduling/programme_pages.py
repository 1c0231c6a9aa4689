"""The programme of an event, for everyone: the schedule at a glance for the reader, the
sessions in the reader's zone, their calendar files, and answering an invitation."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from roadshow.access import current_grant, grant_in_event, requires
from roadshow.accounts.roles import Role
from roadshow.core.actions import act
from roadshow.events.models import Event
from roadshow.events.scope import E
from roadshow.events.services import phase_info
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.scheduling import (
    availability_and_attendance,
    calendar_entries,
    exceptions,
    feeds,
    invites,
    proposals,
    queries,
    rooms,
)
from roadshow.scheduling.blueprint import bp, ics_response, session_or_404, slot_or_404, this_event
from roadshow.scheduling.forms import RsvpForm
from roadshow.scheduling.models import PitchSession, RsvpStatus, SlotKind
from roadshow.scheduling.texts import error_message, rsvp_label, slot_kind_label


@bp.app_context_processor
def _scheduling_helpers() -> dict[str, Any]:
    return {"schedule_summary": schedule_summary, "rsvp_label": rsvp_label,
            "slot_kind_label": slot_kind_label}


def schedule_summary(event: Event | None) -> dict[str, Any] | None:
    """The schedule at a glance for the signed-in user in ``event`` (the programme's card)."""
    if not current_user.is_authenticated or event is None or not event.has_stage("schedule"):
        return None
    grant = grant_in_event(event)
    sessions = queries.sessions_of(db.session, event)
    published = [s for s in sessions if s.is_published]
    data: dict[str, Any] = {"event": event, "sessions": len(sessions), "published": len(published),
                            "part": _part(grant.roles)}
    if Role.ORGANIZER in grant.roles:
        data["unplaced"] = len(proposals.unplaced(db.session, event)) if sessions else None
        data["pitches"] = sum(1 for s in sessions for slot in s.slots
                              if slot.kind == SlotKind.PITCH and slot.application_id)
    elif Role.APPLICANT in grant.roles:
        app = queries.application_of(db.session, current_user, event)
        data["application"] = app
        data["slot"] = queries.slot_of_application(db.session, app) if app else None
        # the invitation to answer, on the dashboard itself
        data["rsvp_uid"] = calendar_entries.pitch_uid(app.id, event) if data["slot"] else None
        data["my_rsvps"] = feeds.my_rsvps(db.session, current_user, event) if data["slot"] else {}
        info = phase_info(event)
        # closed for good (by date or by hand), not merely not open yet
        data["call_closed"] = not info.call_open and not info.call_upcoming
    elif grant.roles & {Role.JUDGE, Role.RECRUITER}:
        data["attending"] = len(availability_and_attendance.attending_ids(db.session, current_user, event))
    else:
        return None
    return data


def _part(roles: frozenset[Role]) -> str:
    """What the schedule's pages offer the user in this event: the editor, their
    availability, or the sessions they attend."""
    if Role.ORGANIZER in roles:
        return "organizer"
    if roles & {Role.JUDGE, Role.RECRUITER}:
        return "attendee"
    return "applicant" if Role.APPLICANT in roles else ""


def _room_ids(sessions: list[PitchSession]) -> set[int]:
    """The sessions whose live rooms the signed-in user may enter, to link them."""
    return rooms.enterable(db.session, current_user, sessions)


@bp.route(f"{E}/schedule/")
@requires("schedule.view")
def index() -> str:
    event = this_event()
    grant = current_grant()
    is_organizer = Role.ORGANIZER in grant.roles
    sessions = queries.sessions_of(db.session, event, published_only=not is_organizer)
    mine = feeds.my_entries(db.session, current_user, event)
    my_uids = {d.uid for d in mine}
    application = (queries.application_of(db.session, current_user, event)
                   if Role.APPLICANT in grant.roles else None)
    my_slot = queries.slot_of_application(db.session, application) if application else None
    attending = availability_and_attendance.attending_ids(db.session, current_user, event)
    room_ids = _room_ids(sessions)
    db.session.commit()
    return render_template(
        "scheduling/index.html", event=event, sessions=sessions, mine=mine, my_uids=my_uids,
        room_ids=room_ids, part=_part(grant.roles),
        my_rsvps=feeds.my_rsvps(db.session, current_user, event), application=application,
        my_slot=my_slot, attending=attending, is_organizer=is_organizer,
        slot_uid=lambda s: calendar_entries.slot_uid(s, event), session_uid=calendar_entries.session_uid,
        rsvp_form=RsvpForm(),
    )


@bp.route(f"{E}/schedule/slots/<int:slot_id>.ics")
@requires("schedule.view")
def slot_ics(slot_id: int) -> Response:
    event = this_event()
    grant = current_grant()
    slot = slot_or_404(slot_id, event)
    if not slot.session.is_published and Role.ORGANIZER not in grant.roles:
        abort(404)
    occurrence = feeds.occurrence_for(db.session, current_user, grant, event, slot=slot)
    if occurrence is None:
        abort(404)
    data = invites.feed([occurrence], zone=current_user.timezone, locale=current_user.locale,
                        name=localized(event, "title"))
    return ics_response(data, f"roadshow-slot-{slot.id}.ics")


@bp.route(f"{E}/schedule/sessions/<int:session_id>.ics")
@requires("schedule.view")
def session_ics(session_id: int) -> Response:
    event = this_event()
    grant = current_grant()
    pitch_session = session_or_404(session_id, event)
    if not pitch_session.is_published and Role.ORGANIZER not in grant.roles:
        abort(404)
    occurrence = feeds.occurrence_for(db.session, current_user, grant, event,
                                      pitch_session=pitch_session)
    if occurrence is None:
        abort(404)
    data = invites.feed([occurrence], zone=current_user.timezone, locale=current_user.locale,
                        name=localized(event, "title"))
    return ics_response(data, f"roadshow-session-{pitch_session.id}.ics")


@bp.route(f"{E}/schedule/rsvp", methods=["POST"])
@requires("schedule.view")
def rsvp() -> Response:
    event = this_event()
    form = RsvpForm()
    if not form.validate_on_submit():
        flash(_("Choose whether you accept or decline."), "danger")
        return redirect(url_for("scheduling.index"))
    back = (url_for("core.dashboard") if request.form.get("back") == "dashboard"  # answered on the dashboard's card
            else url_for("scheduling.index") + "#mine")
    return act(lambda: feeds.set_rsvp(db.session, current_user, event, form.uid.data, RsvpStatus(form.status.data),
                                      form.comment.data or ""),
               refused=exceptions.ScheduleError, say=error_message, refused_to=url_for("scheduling.index"),
               done=_("Your answer was saved: %(answer)s.", answer=rsvp_label(form.status.data)), to=back)
