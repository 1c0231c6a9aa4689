"""The talent blueprint and what its pages share: the office of the URL, labels of the pool's
kinds, the native-place selects, who the reader is in the office (roles, stations).

Office pages are written in full under ``O`` (``/o/<org_slug>``): ``roadshow.events.scope``
loads the office into ``g.organisation`` before access is checked. roadshow.talent.routes loads the
page modules and is what the app registers.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from roadshow import countries
from roadshow.access import current_grant
from roadshow.extensions import db
from roadshow.i18n import current_locale_code, is_chinese
from roadshow.organisations.models import Organisation
from roadshow.talent import divisions
from roadshow.talent.models import Category, ContactKind, Degree, Person, Source, StationRole
from roadshow.talent.services import people

bp = Blueprint("talent", __name__)

#: the office prefix, as in roadshow.events.scope (a later layer)
O = "/o/<org_slug>"  # noqa: E741 - the design's name for the office prefix

CATEGORY_LABELS = {
    Category.OFFICIAL: _l("Officials"),
    Category.HIGH_LEVEL: _l("High-level talents"),
    Category.BUSINESS: _l("Business people"),
    Category.STUDENT: _l("Students"),
    Category.RETURNEE: _l("Returnees"),
}
SOURCE_LABELS = {
    Source.APPLICATION: _l("Application to an event"),
    Source.IMPORT: _l("Import"),
    Source.RECOMMENDATION: _l("Recommendation"),
    Source.SELF_NOMINATION: _l("Self-nomination"),
    Source.STATION: _l("Liaison station"),
    Source.VISIT: _l("Visit"),
}
DEGREE_LABELS = {
    Degree.BACHELOR: _l("Bachelor"),
    Degree.MASTER: _l("Master"),
    Degree.DOCTORATE: _l("Doctorate"),
    Degree.OTHER: _l("Other"),
}
CONTACT_KIND_LABELS = {
    ContactKind.CALL: _l("Call"),
    ContactKind.VISIT: _l("Visit"),
    ContactKind.MESSAGE: _l("Message"),
    ContactKind.EVENT: _l("Event attended"),
}
STATION_ROLE_LABELS = {
    StationRole.HEAD: _l("Head"),
    StationRole.DEPUTY: _l("Deputy head"),
    StationRole.OFFICER: _l("Liaison officer"),
}
GENDER_LABELS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other")}
#: record fields by their label (the change history names them)
FIELD_LABELS = {
    "name_zh": _l("Name in Chinese characters"), "name_en": _l("Name in Latin letters"),
    "gender": _l("Gender"), "birth_year": _l("Year of birth"),
    "native_code": _l("Native place"), "residence_country": _l("Country of residence"),
    "residence_city": _l("City of residence"), "employer": _l("Employer"),
    "position": _l("Position"), "title": _l("Professional title"),
    "degree": _l("Highest degree"), "school": _l("School or university"),
    "field": _l("Field"), "category": _l("Category"), "recommended_by": _l("Recommended by"),
    "email": _l("Email"), "phone": _l("Phone"), "languages": _l("Languages"),
    "notes": _l("Notes"), "withdrawn_at": _l("Consent withdrawn"),
    "industries": _l("Industry chains and fields"),
}


def choices(pairs: Any, blank: bool = False) -> list[SelectChoice]:
    found = [SelectChoice(str(value), str(label)) for value, label in pairs]
    return ([SelectChoice("", "—")] if blank else []) + found


def labelled(labels: dict[Any, Any]) -> list[tuple[str, str]]:
    return [(kind.value if hasattr(kind, "value") else kind, str(label))
            for kind, label in labels.items()]


def country_choices() -> list[SelectChoice]:
    return choices(countries.sorted_countries(current_locale_code()), blank=True)


def place_name(code: str | None) -> str:
    return divisions.describe(code, is_chinese())


def fill_native_place(form: Any, code: str | None = None) -> None:
    """Fill the province, city and county selects: from the form's submitted values, else from
    ``code`` (a record's native place). Each list holds the children of the choice above."""
    chinese = is_chinese()
    chain = divisions.chain(code) if code and not form.is_submitted() else ()
    if chain:
        form.native_province.data = chain[0].code
        form.native_city.data = chain[1].code if len(chain) > 1 else ""
        form.native_county.data = chain[2].code if len(chain) > 2 else ""
    province = form.native_province.data or ""
    form.native_province.choices = choices(
        ((d.code, d.name(chinese)) for d in divisions.provinces()), blank=True)
    cities = divisions.children(province)
    city = form.native_city.data or ""
    if city not in {d.code for d in cities}:
        city = form.native_city.data = ""
    form.native_city.choices = choices(((d.code, d.name(chinese)) for d in cities), blank=True)
    counties = divisions.children(city)
    if (form.native_county.data or "") not in {d.code for d in counties}:
        form.native_county.data = ""
    form.native_county.choices = choices(((d.code, d.name(chinese)) for d in counties),
                                         blank=True)


def chosen_native_code(form: Any) -> str:
    """The code the selects name: the county, else a city without counties, else what is
    chosen so far (refused by the service as incomplete), else nothing."""
    return (form.native_county.data or form.native_city.data or form.native_province.data
            or "")


def reader_station_ids() -> set[int]:
    """The office's stations the reader holds a current appointment to (memoised)."""
    if "talent_station_ids" not in g:
        g.talent_station_ids = people.current_station_ids(db.session, current_user,
                                                          g.organisation)
    return g.talent_station_ids


def sees_contact_details(person: Person) -> bool:
    return people.sees_contact_details(current_grant().roles, reader_station_ids(), person)


def may_edit(person: Person) -> bool:
    return people.may_edit(current_grant().roles, reader_station_ids(), person)


def person_or_404(person_id: int) -> Person:
    """An active person of the URL's office; another office's, a withdrawn or an erased one
    answers 404 like a missing one."""
    person = people.find(db.session, g.organisation, person_id)
    if person is None:
        abort(404)
    return person


@bp.app_template_global("my_talent_offices")
def my_talent_offices() -> list[Organisation]:
    """The offices whose talent pool the signed-in user works in: those they organise and those
    with a station they hold a current appointment to (the navigation links them)."""
    if not current_user.is_authenticated:
        return []
    if "my_talent_offices" not in g:
        g.my_talent_offices = people.talent_offices_of(db.session, current_user)
    return g.my_talent_offices


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"category_labels": CATEGORY_LABELS, "source_labels": SOURCE_LABELS,
            "degree_labels": DEGREE_LABELS, "contact_kind_labels": CONTACT_KIND_LABELS,
            "station_role_labels": STATION_ROLE_LABELS, "gender_labels": GENDER_LABELS,
            "field_labels": FIELD_LABELS, "place_name": place_name,
            "country_name": lambda code: countries.country_name(code, current_locale_code()),
            "sees_contact_details": sees_contact_details, "may_edit": may_edit}
