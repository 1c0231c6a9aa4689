"""Erasing a person from the pool: the person themself, from "My talent pool records" (after a
page that says what happens), or an organizer of the office, from the person's page, with the
reason (a request received by phone or by mail).

Thin: load, check access, call the service, commit once.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.talent import retention
from roadshow.talent.blueprint import O, bp, person_or_404
from roadshow.talent.forms import EraseForm
from roadshow.talent.models import Person
from roadshow.talent.services import erasure
from roadshow.talent.views.mine import own_or_404


def _erased_message(record: Person, office: str) -> str:
    if record.retained_reason:
        return _("The record in %(office)s's pool is erased. A minimal record is kept (its "
                 "number and the link to the account) because: %(why)s", office=office,
                 why=retention.label(record.retained_reason))
    return _("The record in %(office)s's pool is erased; nothing of it is kept.", office=office)


@bp.route("/talent/mine/<int:person_id>/erase", methods=["GET", "POST"])
@requires("account.use")
def erase_mine(person_id: int) -> str | Response:
    record = own_or_404(person_id, active_only=False)
    if request.method == "POST":
        office = record.organisation
        erasure.erase(db.session, current_user, record)
        db.session.commit()
        flash(_erased_message(record, localized(office, "name")), "success")
        return redirect(url_for("talent.mine"))
    return render_template("talent/mine_erase.html", person=record)


@bp.route(f"{O}/talent/people/<int:person_id>/erase", methods=["GET", "POST"])
@requires("talent.manage")
def erase_person(person_id: int) -> str | Response:
    organisation = g.organisation
    record = person_or_404(person_id)
    form = EraseForm()
    if form.validate_on_submit():
        name = record.display_name
        erasure.erase(db.session, current_user, record, form.note.data or "")
        db.session.commit()
        if record.retained_reason:
            flash(_("%(name)s is erased from the pool. A minimal record is kept because: "
                    "%(why)s", name=name, why=retention.label(record.retained_reason)),
                  "success")
        else:
            flash(_("%(name)s is erased from the pool.", name=name), "success")
        return redirect(url_for("talent.overview"))
    return render_template("talent/person_erase.html", organisation=organisation,
                           person=record, form=form)
