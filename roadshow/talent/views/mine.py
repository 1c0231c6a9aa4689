"""A person's own records in every office's talent pool: see them, download them as JSON,
correct them, withdraw consent (erasing them: views/erasure.py). A record is someone's own when
it is linked to their account or kept under their verified e-mail address; an erased record
kept for a sealed intent shows with the reason it is kept."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.extensions import db
from roadshow.talent import retention
from roadshow.talent.blueprint import bp
from roadshow.talent.forms import OwnRecordForm
from roadshow.talent.models import Person
from roadshow.talent.services import consent as consent_service
from roadshow.talent.services import erasure, people
from roadshow.talent.views.records import data_from, fill_choices, show_error, wants_places


def own_or_404(person_id: int, active_only: bool = True) -> Person:
    for record in people.records_of(db.session, current_user):
        if record.id == person_id and (record.withdrawn_at is None or not active_only):
            return record
    abort(404)


@bp.route("/talent/mine")
@requires("account.use")
def mine() -> str:
    return render_template("talent/mine.html",
                           records=people.records_of(db.session, current_user),
                           erased=erasure.erased_records_of(db.session, current_user),
                           retention_label=retention.label)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _export(record: Person) -> dict[str, Any]:
    fields = {name: getattr(record, name) for name in (
        "name_zh", "name_en", "name_pinyin", "gender", "birth_year", "native_code",
        "residence_country", "residence_city", "employer", "position", "title", "degree",
        "school", "field", "category", "source", "recommended_by", "email", "phone",
        "languages", "created_at", "updated_at", "confirmed_at", "withdrawn_at")}
    return {
        "office": {"name_zh": record.organisation.name_zh,
                   "name_en": record.organisation.name_en},
        "record": {name: _iso(getattr(value, "value", value)) for name, value in fields.items()},
        "consents": [{"purpose": c.purpose, "version": c.version, "wording_zh": c.wording_zh,
                      "wording_en": c.wording_en, "given_at": _iso(c.given_at),
                      "given_via": c.given_via, "withdrawn_at": _iso(c.withdrawn_at)}
                     for c in record.consents],
        "contacts": [{"kind": c.kind.value, "happened_at": _iso(c.happened_at),
                      "summary": c.summary, "next_step": c.next_step,
                      "next_due_on": _iso(c.next_due_on)} for c in record.contacts],
        "changes": [{"field": c.field, "old_value": c.old_value, "new_value": c.new_value,
                     "changed_at": _iso(c.changed_at), "reason": c.reason}
                    for c in record.changes],
    }


@bp.route("/talent/mine.json")
@requires("account.use")
def mine_json() -> Response:
    records = people.records_of(db.session, current_user)
    body = json.dumps({"records": [_export(record) for record in records]},
                      ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="my-talent-pool-records.json"'})


@bp.route("/talent/mine/<int:person_id>", methods=["GET", "POST"])
@requires("account.use")
def correct_mine(person_id: int) -> str | Response:
    record = own_or_404(person_id)
    current = people.data_of(record)
    form = OwnRecordForm(data={name: getattr(current, name) for name in people.OWN_FIELDS
                               if name != "native_code"})
    fill_choices(form, record.native_code)
    if form.is_submitted() and not wants_places(form) and form.validate():
        try:
            changes = people.update_person(db.session, current_user, record,
                                           data_from(form, current), only=people.OWN_FIELDS)
        except people.PersonError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            if changes:
                people.confirm_current(db.session, current_user, record)
            db.session.commit()
            flash(_("Your record is corrected.") if changes else _("Nothing was changed."),
                  "success" if changes else "info")
            return redirect(url_for("talent.mine"))
    return render_template("talent/mine_edit.html", form=form, person=record)


@bp.route("/talent/mine/<int:person_id>/withdraw", methods=["POST"])
@requires("account.use")
def withdraw_mine(person_id: int) -> Response:
    record = own_or_404(person_id)
    consent_service.withdraw(db.session, current_user, record)
    db.session.commit()
    flash(_("Your consent is withdrawn: the office no longer sees your record in its pool."),
          "success")
    return redirect(url_for("talent.mine"))
