"""An office's liaison stations: the list (organizers open new ones), a station's page
(members with role and appointment dates, its people, its events, its figures per year), and the
organizers' appointments of members and their ends."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires, user_may
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.i18n import select_timezone_name
from roadshow.talent.blueprint import (
    STATION_ROLE_LABELS,
    O,
    bp,
    choices,
    country_choices,
    labelled,
    reader_station_ids,
)
from roadshow.talent.forms import AppointForm, EndAppointmentForm, StationForm
from roadshow.talent.models import Station, StationMember
from roadshow.talent.services import people, station_events, stations


def _today() -> date:
    return utcnow().astimezone(ZoneInfo(select_timezone_name())).date()


def station_or_404(station_slug: str) -> Station:
    station = stations.find(db.session, g.organisation, station_slug)
    if station is None:
        abort(404)
    return station


def _station_form() -> StationForm:
    form = StationForm()
    form.country.choices = country_choices()
    if not form.is_submitted():
        form.country.data = "CN"
        form.opened_on.data = _today()
    return form


def _list_page(form: StationForm) -> str:
    organisation = g.organisation
    return render_template("talent/stations.html", organisation=organisation, form=form,
                           stations=stations.stations_of(db.session, organisation),
                           my_station_ids=reader_station_ids())


@bp.route(f"{O}/talent/stations")
@requires("talent.view")
def station_list() -> str:
    return _list_page(_station_form())


@bp.route(f"{O}/talent/stations", methods=["POST"])
@requires("talent.manage")
def create_station() -> str | Response:
    form = _station_form()
    if form.validate_on_submit() and form.opened_on.data is not None:
        data = stations.StationData(
            slug=form.slug.data or "", name_zh=form.name_zh.data or "",
            name_en=form.name_en.data or "", city_zh=form.city_zh.data or "",
            city_en=form.city_en.data or "", country=form.country.data or "",
            opened_on=form.opened_on.data)
        try:
            station = stations.create_station(db.session, current_user, g.organisation, data)
        except stations.StationError as error:
            db.session.rollback()
            field = getattr(form, error.field or "slug")
            field.errors = [*field.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The station is opened."), "success")
            return redirect(url_for("talent.station", station_slug=station.slug))
    return _list_page(form)


def _appoint_form() -> AppointForm:
    form = AppointForm()
    form.role.choices = choices(labelled(STATION_ROLE_LABELS))
    if not form.is_submitted():
        form.appointed_on.data = _today()
    return form


def _station_page(station: Station, form: AppointForm) -> str:
    today = _today()
    return render_template(
        "talent/station.html", organisation=g.organisation, station=station, form=form,
        end_form=EndAppointmentForm(formdata=None, ended_on=today), today=today,
        members=stations.members_of(db.session, station),
        people=people.station_people(db.session, station),
        figures=stations.figures(db.session, station),
        station_events=station_events.events_of(db.session, station),
        linkable_events=(station_events.linkable_events(db.session, station)
                         if user_may("talent.manage") else []),
        may_invite=user_may("talent.manage") or station.id in reader_station_ids())


@bp.route(f"{O}/talent/stations/<station_slug>")
@requires("talent.view")
def station(station_slug: str) -> str:
    return _station_page(station_or_404(station_slug), _appoint_form())


@bp.route(f"{O}/talent/stations/<station_slug>/members", methods=["POST"])
@requires("talent.manage")
def appoint_member(station_slug: str) -> str | Response:
    station = station_or_404(station_slug)
    form = _appoint_form()
    if form.validate_on_submit() and form.appointed_on.data is not None:
        try:
            member = stations.appoint(db.session, current_user, station, form.email.data or "",
                                      form.role.data or "", form.appointed_on.data)
        except stations.StationError as error:
            db.session.rollback()
            field = getattr(form, error.field or "email")
            field.errors = [*field.errors, str(error)]
        else:
            db.session.commit()
            flash(_("%(name)s is appointed to the station.", name=member.user.display_name),
                  "success")
            return redirect(url_for("talent.station", station_slug=station.slug))
    return _station_page(station, form)


@bp.route(f"{O}/talent/stations/<station_slug>/members/<int:member_id>/end",
          methods=["POST"])
@requires("talent.manage")
def end_member(station_slug: str, member_id: int) -> Response:
    station = station_or_404(station_slug)
    member = db.session.get(StationMember, member_id)
    if member is None or member.station_id != station.id:
        abort(404)
    form = EndAppointmentForm()
    if not form.validate_on_submit() or form.ended_on.data is None:
        flash(_("Give the day the appointment ended."), "warning")
        return redirect(url_for("talent.station", station_slug=station.slug))
    try:
        stations.end_appointment(db.session, current_user, member, form.ended_on.data)
    except stations.StationError as error:
        db.session.rollback()
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("The appointment is ended."), "success")
    return redirect(url_for("talent.station", station_slug=station.slug))
