"""The public form for joining an office's talent pool, in both languages, with its own
consent: the wording and its version are stored with the consent (``talent_consents``)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import public
from roadshow.extensions import db, limiter
from roadshow.talent.blueprint import O, bp
from roadshow.talent.consent import VIA_JOIN_FORM, pool_wording
from roadshow.talent.forms import JoinForm
from roadshow.talent.models import Source
from roadshow.talent.services import consent as consent_service
from roadshow.talent.services import people
from roadshow.talent.views.records import data_from, fill_choices, show_error, wants_places


@bp.route(f"{O}/talent/join", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"])
def join() -> str | Response:
    organisation = g.organisation
    form = JoinForm()
    fill_choices(form)
    if not form.is_submitted() and current_user.is_authenticated:
        form.email.data = current_user.email
    if form.is_submitted() and not wants_places(form) and form.validate():
        try:
            person = people.create_person(db.session, current_user, organisation,
                                          data_from(form), Source.SELF_NOMINATION)
            if current_user.is_authenticated:
                person.user_id = current_user.id
            consent_service.give(db.session, person, organisation, VIA_JOIN_FORM)
        except people.PersonError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you: you are in the talent pool. The office will be in touch."),
                  "success")
            if current_user.is_authenticated:
                return redirect(url_for("talent.mine"))
            return redirect(url_for("talent.join"))
    return render_template("talent/join.html", organisation=organisation, form=form,
                           wording=pool_wording(organisation.name_zh, organisation.name_en))
