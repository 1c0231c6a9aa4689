"""A station's events: the organizers link one of the office's events to the station, or unlink
it (the station's page lists them with their figures, roadshow.talent.views.stations).

Thin: load the station, check access, call roadshow.talent.services.station_events.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.talent.blueprint import O, bp
from roadshow.talent.services import station_events
from roadshow.talent.views.stations import station_or_404


@bp.route(f"{O}/talent/stations/<station_slug>/events", methods=["POST"])
@requires("talent.manage")
def link_station_event(station_slug: str) -> Response:
    station = station_or_404(station_slug)
    try:
        event = station_events.link(db.session, current_user, station,
                                    request.form.get("event_id", 0, type=int))
    except station_events.StationEventError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("“%(event)s” is linked to the station.", event=localized(event, "title")),
              "success")
    return redirect(url_for("talent.station", station_slug=station.slug) + "#events-heading")


@bp.route(f"{O}/talent/stations/<station_slug>/events/<int:event_id>/unlink",
          methods=["POST"])
@requires("talent.manage")
def unlink_station_event(station_slug: str, event_id: int) -> Response:
    station = station_or_404(station_slug)
    if station_events.unlink(db.session, current_user, station, event_id):
        db.session.commit()
        flash(_("The event is no longer linked to the station."), "success")
    else:
        flash(_("This event is not linked to the station."), "warning")
    return redirect(url_for("talent.station", station_slug=station.slug) + "#events-heading")
