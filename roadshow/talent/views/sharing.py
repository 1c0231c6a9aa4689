"""Sharing the pool with alliances: the organizers' page (the office's alliances, its shares,
sharing all or one category with or without contacts, revoking), and a partner's person shared
with the office, read-only and without contact details; each such reading is written to the
access log of the office that keeps the person.

Thin: load, check access, call roadshow.talent.services.shares, commit once.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.core.actions import act
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.talent.blueprint import CATEGORY_LABELS, O, bp, choices, labelled
from roadshow.talent.forms import PoolShareForm
from roadshow.talent.services import search, shares


def _share_form() -> PoolShareForm:
    form = PoolShareForm()
    alliances = shares.current_alliances(db.session, g.organisation)
    form.alliance.choices = choices((a.id, localized(a, "name")) for a in alliances)
    form.category.choices = choices([("", _("The whole pool")),
                                     *labelled(CATEGORY_LABELS)])
    return form


def _sharing_page(form: PoolShareForm) -> str:
    organisation = g.organisation
    pools = shares.shared_pools(db.session, organisation.id)
    return render_template("talent/sharing.html", organisation=organisation, form=form,
                           alliances=shares.current_alliances(db.session, organisation),
                           rows=shares.shares_of(db.session, organisation), pools=pools,
                           keepers=shares.keepers(db.session, pools))


@bp.route(f"{O}/talent/sharing")
@requires("talent.manage")
def sharing() -> str:
    return _sharing_page(_share_form())


@bp.route(f"{O}/talent/sharing", methods=["POST"])
@requires("talent.manage")
def share_pool() -> str | Response:
    organisation = g.organisation
    form = _share_form()
    if form.validate_on_submit():
        alliance = next((a for a in shares.current_alliances(db.session, organisation)
                         if str(a.id) == form.alliance.data), None)
        try:  # an alliance of the form the office has left is None: the service refuses it
            shares.share(db.session, current_user, organisation, alliance,
                         form.category.data or None, bool(form.contacts_shared.data))
        except shares.ShareError as error:
            db.session.rollback()
            field = getattr(form, error.field or "category")
            field.errors = [*field.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The pool is shared with %(alliance)s.",
                    alliance=localized(alliance, "name")), "success")
            return redirect(url_for("talent.sharing"))
    return _sharing_page(form)


@bp.route(f"{O}/talent/sharing/<int:share_id>/revoke", methods=["POST"])
@requires("talent.manage")
def revoke_pool_share(share_id: int) -> Response:
    row = shares.find_share(db.session, g.organisation, share_id)
    if row is None:
        abort(404)  # another office's share: its existence does not leak
    return act(lambda: shares.revoke(db.session, current_user, row), refused=shares.ShareError,
               category="warning", to=url_for("talent.sharing"),
               done=_("The share is revoked: the alliance's other offices no longer see these "
                      "people."))


@bp.route(f"{O}/talent/shared/<int:person_id>")
@requires("talent.manage")
def shared_person(person_id: int) -> str:
    """A person another office shares with this one: read-only, no phone or e-mail."""
    organisation = g.organisation
    record = shares.shared_record(db.session, organisation.id, person_id)
    if record is None:
        abort(404)
    page = render_template("talent/shared_person.html", organisation=organisation,
                           record=record, person=record.person)
    search.log_access(db.session, current_user, record.keeper.id, "view",
                      f"shared with {organisation.slug}", person_id=record.person.id)
    db.session.commit()
    return page
