"""An office's talent pool: the overview, a person's record (consents, history, contact log),
adding and editing a record, confirming it current, logging a contact, due call-backs.

Thin: load, check access, call a service, commit once. A station officer adds people to their
station; organizers and the officers of a person's station edit the record and see its phone
and e-mail.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import current_grant, deny, requires
from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.i18n import localized, select_timezone_name
from roadshow.talent import activity
from roadshow.talent.blueprint import (
    CONTACT_KIND_LABELS,
    O,
    bp,
    choices,
    labelled,
    may_edit,
    person_or_404,
    reader_station_ids,
)
from roadshow.talent.consent import VIA_OFFICER, Wording, pool_wording
from roadshow.talent.forms import ContactForm, PersonForm
from roadshow.talent.models import Person, Source, Station
from roadshow.talent.services import consent as consent_service
from roadshow.talent.services import contacts, industries, people, stations
from roadshow.talent.views.records import data_from, fill_choices, show_error, wants_places

#: call-backs due within this many days show on the overview
SOON = timedelta(days=7)


def _today() -> date:
    """Today in the reader's zone."""
    return utcnow().astimezone(ZoneInfo(select_timezone_name())).date()


@bp.route(f"{O}/talent/")
@requires("talent.view")
def overview() -> str:
    organisation = g.organisation
    today = _today()
    figures = people.overview(db.session, organisation)
    due = contacts.due_callbacks(db.session, organisation, current_user, until=today + SOON)
    return render_template("talent/overview.html", organisation=organisation, figures=figures,
                           due=due, today=today,
                           stations=stations.stations_of(db.session, organisation),
                           my_station_ids=reader_station_ids())


@bp.route(f"{O}/talent/callbacks")
@requires("talent.view")
def callbacks() -> str:
    organisation = g.organisation
    return render_template("talent/callbacks.html", organisation=organisation,
                           due=contacts.due_callbacks(db.session, organisation, current_user),
                           today=_today())


def _officer_station() -> Station | None:
    """The station a station officer (who does not organise the office) adds people to."""
    if Role.ORGANIZER in current_grant().roles:
        return None
    ids = sorted(reader_station_ids())
    return db.session.get(Station, ids[0]) if ids else None


def _fill_industries(form: PersonForm, record: Person | None = None) -> None:
    """The office's chains and fields as checkboxes ("chain › field")."""
    rows = industries.industries_of(db.session, g.organisation)
    names = {row.id: localized(row, "name") for row in rows}
    form.industries.choices = choices(
        (row.id, names[row.id] if row.parent_id is None
         else f"{names.get(row.parent_id, '')} › {names[row.id]}") for row in rows)
    if record is not None and not form.is_submitted():
        form.industries.data = [industry.id for industry in record.industries]


def _wording() -> Wording:
    organisation = g.organisation
    return pool_wording(organisation.name_zh, organisation.name_en)


@bp.route(f"{O}/talent/people/new", methods=["GET", "POST"])
@requires("talent.contact")
def new_person() -> str | Response:
    organisation = g.organisation
    station = _officer_station()
    form = PersonForm()
    fill_choices(form)
    _fill_industries(form)
    if form.is_submitted() and not wants_places(form) and form.validate():
        source = Source.STATION if station is not None else (
            Source.RECOMMENDATION if form.recommended_by.data else Source.VISIT)
        try:
            person = people.create_person(db.session, current_user, organisation,
                                          data_from(form), source, station)
            industries.set_industries(db.session, current_user, person,
                                      list(form.industries.data or []))
            if form.consent_recorded.data:
                consent_service.give(db.session, person, organisation, VIA_OFFICER)
        except people.PersonError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is added to the pool.", name=person.display_name), "success")
            return redirect(url_for("talent.person", person_id=person.id))
    return render_template("talent/person_form.html", organisation=organisation, form=form,
                           person=None, station=station, wording=_wording())


@bp.route(f"{O}/talent/people/<int:person_id>")
@requires("talent.view")
def person(person_id: int) -> str:
    record = person_or_404(person_id)
    form = ContactForm(formdata=None, day=_today())
    form.kind.choices = choices(labelled(CONTACT_KIND_LABELS))
    return _person_page(record, form)


def _person_page(record: Person, contact_form: ContactForm) -> str:
    organisation = g.organisation
    return render_template("talent/person.html", organisation=organisation, person=record,
                           contact_form=contact_form, stale=people.is_stale(record),
                           zone=select_timezone_name(),
                           in_events=activity.rows_for(db.session, record.user_id,
                                                       organisation.id),
                           event_links=Role.ORGANIZER in current_grant().roles)


@bp.route(f"{O}/talent/people/<int:person_id>/edit", methods=["GET", "POST"])
@requires("talent.contact")
def edit_person(person_id: int) -> str | Response:
    organisation = g.organisation
    record = person_or_404(person_id)
    if not may_edit(record):
        deny("only organizers and the officers of the person's station edit a record")
    current = people.data_of(record)
    form = PersonForm(data={name: value for name, value in vars(current).items()
                            if name != "native_code"})
    fill_choices(form, record.native_code)
    _fill_industries(form, record)
    if form.is_submitted() and not wants_places(form) and form.validate():
        try:
            changes = people.update_person(db.session, current_user, record,
                                           data_from(form, current))
            chosen = industries.set_industries(db.session, current_user, record,
                                               list(form.industries.data or []))
            if chosen is not None:
                changes.append(chosen)
            if form.consent_recorded.data and not record.consents:
                consent_service.give(db.session, record, organisation, VIA_OFFICER)
        except people.PersonError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            if changes:
                flash(_("The record is saved; the history keeps what it was."), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("talent.person", person_id=record.id))
    return render_template("talent/person_form.html", organisation=organisation, form=form,
                           person=record, station=record.station, wording=_wording())


@bp.route(f"{O}/talent/people/<int:person_id>/confirm", methods=["POST"])
@requires("talent.contact")
def confirm_person(person_id: int) -> Response:
    record = person_or_404(person_id)
    if not may_edit(record):
        deny("only organizers and the officers of the person's station confirm a record")
    people.confirm_current(db.session, current_user, record)
    db.session.commit()
    flash(_("The record is marked as current."), "success")
    return redirect(url_for("talent.person", person_id=record.id))


@bp.route(f"{O}/talent/people/<int:person_id>/contacts", methods=["POST"])
@requires("talent.contact")
def log_contact(person_id: int) -> str | Response:
    record = person_or_404(person_id)
    form = ContactForm()
    form.kind.choices = choices(labelled(CONTACT_KIND_LABELS))
    if form.validate() and form.day.data is not None and form.at.data is not None:
        data = contacts.ContactData(kind=form.kind.data or "", day=form.day.data,
                                    at=form.at.data, summary=form.summary.data or "",
                                    next_step=form.next_step.data or "",
                                    next_due_on=form.next_due_on.data,
                                    shared=bool(form.shared.data))
        try:
            contacts.log_contact(db.session, current_user, record, data, select_timezone_name())
        except contacts.ContactError as error:
            db.session.rollback()
            field = getattr(form, error.field or "summary", form.summary)
            field.errors = [*field.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The contact is logged."), "success")
            return redirect(url_for("talent.person", person_id=record.id) + "#contacts")
    return _person_page(record, form)
