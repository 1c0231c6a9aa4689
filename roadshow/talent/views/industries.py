"""The office's industry chains and fields: everyone in the pool's work reads them, organizers
add to them."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.talent.blueprint import O, bp, choices
from roadshow.talent.forms import IndustryForm
from roadshow.talent.services import industries


def _form() -> IndustryForm:
    form = IndustryForm()
    chains = [row for row in industries.industries_of(db.session, g.organisation)
              if row.parent_id is None]
    form.parent.choices = choices(((row.id, localized(row, "name")) for row in chains),
                                  blank=True)
    return form


def _page(form: IndustryForm) -> str:
    return render_template("talent/industries.html", organisation=g.organisation, form=form,
                           industries=industries.industries_of(db.session, g.organisation))


@bp.route(f"{O}/talent/industries")
@requires("talent.view")
def industry_list() -> str:
    return _page(_form())


@bp.route(f"{O}/talent/industries", methods=["POST"])
@requires("talent.manage")
def create_industry() -> str | Response:
    form = _form()
    if form.validate_on_submit():
        parent = int(form.parent.data) if form.parent.data else None
        try:
            industries.create_industry(db.session, current_user, g.organisation,
                                       form.code.data or "", form.name_zh.data or "",
                                       form.name_en.data or "", parent)
        except industries.IndustryError as error:
            db.session.rollback()
            field = getattr(form, error.field or "code")
            field.errors = [*field.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The industry is added."), "success")
            return redirect(url_for("talent.industry_list"))
    return _page(form)
