"""Inviting the people of a filtered list to an event: the page names the filter and counts the
people (those with an e-mail address; how many have none), offers the office's published events
(the station's first), takes a personal note, previews the mail in both languages, and sends it
as a background job whose page shows the progress and the result.

Organizers invite anyone of the list; a liaison station officer only the people of their own
stations (a list of another station is refused).

Thin: read the filter, check access, call roadshow.talent.services.invitations, render.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import current_grant, requires
from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.i18n import is_chinese
from roadshow.jobs.models import Job, JobStatus
from roadshow.jobs.queue import job_queue
from roadshow.talent import jobs as talent_jobs
from roadshow.talent.blueprint import O, bp, reader_station_ids
from roadshow.talent.models import Industry, Person, Station
from roadshow.talent.services import invitations, search, station_events
from roadshow.talent.services.search import Query


def _station_scope(query: Query) -> set[int] | None:
    """``None`` for an organizer (every person of the list); else the reader's stations. A list
    of another station is refused."""
    if Role.ORGANIZER in current_grant().roles:
        return None
    mine = reader_station_ids()
    if query.station and (not query.station.isdigit() or int(query.station) not in mine):
        abort(403)
    return mine


def _filter_names(query: Query) -> dict[str, str]:
    """Names of the filter's station and industry, for the page's description."""
    names: dict[str, str] = {}
    organisation = g.organisation
    if query.station.isdigit():
        station = db.session.get(Station, int(query.station))
        if station is not None and station.organisation_id == organisation.id:
            names["station"] = station.name_zh if is_chinese() else station.name_en
    if query.industry.isdigit():
        industry = db.session.get(Industry, int(query.industry))
        if industry is not None and industry.organisation_id == organisation.id:
            names["industry"] = industry.name_zh if is_chinese() else industry.name_en
    return names


def _start_job(event_id: int, note: str, ids: list[int], query: Query) -> Job:
    organisation = g.organisation
    job = Job(kind=talent_jobs.INVITE, actor_id=current_user.id, event_id=None, total=len(ids),
              status=JobStatus.QUEUED,
              params={"organisation_id": organisation.id, "org_slug": organisation.slug,
                      "event_id": event_id, "note": note, "people": ids})
    db.session.add(job)
    search.log_access(db.session, current_user, organisation.id, "invite",
                      f"event={event_id}; {search.describe(query)}")
    db.session.commit()
    job_queue().enqueue(job)
    return job


@bp.route(f"{O}/talent/invitations/new", methods=["GET", "POST"])
@requires("talent.contact")
def invite_people() -> str | Response | tuple[str, int]:
    organisation = g.organisation
    query = Query.from_args(request.values)
    scope = _station_scope(query)
    selection = invitations.count(db.session, organisation.id, query, scope)
    first_stations = ([int(query.station)] if query.station.isdigit()
                      else sorted(reader_station_ids()))
    events = invitations.events_to_invite(db.session, organisation, first_stations)
    chosen = request.form.get("event_id", type=int) if request.method == "POST" else None
    note = request.form.get("note", "")
    errors: dict[str, str] = {}
    previews = None
    if request.method == "POST":
        event = next((e for e in events if e.id == chosen), None)
        if event is None:
            errors["event_id"] = _("Choose one of the office's published events.")
        try:
            note = invitations.check_note(note)
        except invitations.InvitationError as error:
            errors["note"] = str(error)
        if event is not None and not errors:
            ids = invitations.person_ids(db.session, organisation.id, query, scope)
            if request.form.get("action") == "send":
                if not ids:
                    errors["people"] = _("No one in this list has an e-mail address: there is "
                                         "no one to invite.")
                else:
                    job = _start_job(event.id, note, ids, query)
                    return redirect(url_for("jobs.status", background_job_id=job.id))
            sample = db.session.get(Person, ids[0]) if ids else None
            previews = invitations.previews(event, organisation, note,
                                            sample.display_name if sample else _("Guest"))
    context: dict[str, Any] = dict(
        organisation=organisation, query=query, args=query.as_args(), selection=selection,
        events=events, chosen=chosen or (events[0].id if events else None), note=note,
        errors=errors, previews=previews, filter_names=_filter_names(query),
        station_event_ids=set(station_events.event_ids_of(db.session, first_stations)))
    page = render_template("talent/invitations_new.html", **context)
    return (page, 422) if errors else page
