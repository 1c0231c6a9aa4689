"""Between a record's form and its data (shared by the officer's, the join and the own-record
pages)."""

from __future__ import annotations

from typing import Any

from roadshow.talent.blueprint import (
    CATEGORY_LABELS,
    DEGREE_LABELS,
    GENDER_LABELS,
    choices,
    chosen_native_code,
    country_choices,
    fill_native_place,
    labelled,
)
from roadshow.talent.services.people import PersonData, PersonError


def fill_choices(form: Any, native_code: str | None = None) -> None:
    form.gender.choices = choices(GENDER_LABELS.items(), blank=True)
    form.degree.choices = choices(labelled(DEGREE_LABELS), blank=True)
    form.residence_country.choices = country_choices()
    if hasattr(form, "category"):
        form.category.choices = choices(labelled(CATEGORY_LABELS), blank=True)
    fill_native_place(form, native_code)


def data_from(form: Any, base: PersonData | None = None) -> PersonData:
    """The record a form describes; fields the form lacks keep ``base``'s values."""
    data = base or PersonData()
    for name in ("name_zh", "name_en", "gender", "residence_country", "residence_city",
                 "employer", "position", "title", "degree", "school", "field", "category",
                 "recommended_by", "email", "phone", "languages", "notes"):
        if hasattr(form, name):
            setattr(data, name, getattr(form, name).data or "")
    data.birth_year = form.birth_year.data
    data.native_code = chosen_native_code(form)
    return data


def show_error(form: Any, error: PersonError, fallback: str = "name_zh") -> None:
    name = {"native_code": "native_county"}.get(error.field or "", error.field or "")
    field = getattr(form, name, None) or getattr(form, fallback)
    field.errors = [*field.errors, str(error)]


def wants_places(form: Any) -> bool:
    """The "show the cities and counties" button: fill the next list, save nothing."""
    return bool(form.show_places.data)
