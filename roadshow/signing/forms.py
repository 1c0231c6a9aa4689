"""Signing forms; every label and message is translated."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from roadshow.signing.document import COOPERATION_FORMS, TEXT_FIELDS


class Bounded(NumberRange):
    """A number range whose message shows the bounds as the reader writes numbers.

    WTForms' own message prints the bounds as Python does ("between 0 and 10000000000"); here
    ``message`` names ``%(min)s`` and ``%(max)s`` and they are formatted in the reader's locale
    when the check fails ("10,000,000,000"). A value that did not parse is left to the field's
    own error.
    """

    def __init__(self, min: int, max: int, message: Any) -> None:
        super().__init__(min=min, max=max, message=message)

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is None or self.min <= field.data <= self.max:
            return
        raise ValidationError(str(self.message) % {"min": format_decimal(self.min),
                                                    "max": format_decimal(self.max)})


#: labels of the bilingual text fields, in the interface's language
TEXT_LABELS = {
    "project": _l("Project"),
    "cooperation": _l("Form of cooperation: details"),
    "funding": _l("Funding: details"),
    "space": _l("Space: details"),
    "talent_policy": _l("Talent policy"),
    "location": _l("Landing location"),
    "timeline": _l("Timeline"),
    "other_terms": _l("Other terms"),
}
TEXT_HELP = {
    "project": _l("The project as the parties name it."),
    "cooperation": _l("What the talent and the district will do together."),
    "funding": _l("Grants, the investment fund, talent loans or equity products offered."),
    "space": _l("Offices, laboratories, incubator places and their terms."),
    "talent_policy": _l("Housing, the talent blue card, family support, case-by-case support."),
    "location": _l("Where the project lands: district, park or address."),
    "timeline": _l("Milestones: company registration, moving in, first results."),
    "other_terms": _l("Anything else the parties agree on (optional)."),
}


def _text_fields() -> dict[str, TextAreaField]:
    fields = {}
    for name in TEXT_FIELDS:
        fields[f"{name}_zh"] = TextAreaField(TEXT_LABELS[name], validators=[Optional(), Length(max=4000)])
        fields[f"{name}_en"] = TextAreaField(TEXT_LABELS[name], validators=[Optional(), Length(max=4000)])
    return fields


class _IntentFormBase(FlaskForm):
    application_id = SelectField(_l("Project"), coerce=int, validators=[DataRequired()],
                                 validate_choice=False)
    district_id = SelectField(_l("District"), coerce=int, validators=[DataRequired()],
                              validate_choice=False)
    cooperation_form = SelectField(_l("Form of cooperation"), choices=[])
    funding_cny = IntegerField(_l("Funding offered (yuan)"), validators=[
        Optional(),
        Bounded(0, 10_000_000_000, _l("Enter an amount of yuan from %(min)s to %(max)s.")),
    ])
    space_sqm = IntegerField(_l("Space offered (square metres)"), validators=[
        Optional(),
        Bounded(0, 1_000_000, _l("Enter a number of square metres from %(min)s to %(max)s.")),
    ])
    validity_months = IntegerField(_l("Validity (months)"), default=12, validators=[
        InputRequired(), Bounded(1, 60, _l("Enter a number of months from %(min)s to %(max)s.")),
    ])
    ordering = RadioField(_l("Signing order"), default="sequential", choices=[
        SelectChoice("sequential", _l("One after another: applicant, district, city office")),
        SelectChoice("parallel", _l("In parallel: everyone may sign at once")),
    ])
    district_signer = SelectField(_l("Signs for the district"), coerce=int, validate_choice=False)
    city_signer = SelectField(_l("Signs for the city office"), coerce=int, validate_choice=False)
    version = HiddenField()

    def set_cooperation_choices(self, chinese: bool) -> None:
        self.cooperation_form.choices = [
            SelectChoice(c.code, c.zh if chinese else c.en) for c in COOPERATION_FORMS
        ]


IntentForm = type("IntentForm", (_IntentFormBase,), _text_fields())


class SendForm(FlaskForm):
    expires_in_days = IntegerField(_l("Signing stays open for (days)"), default=14,
                                   validators=[DataRequired(), NumberRange(min=1, max=90)])


class SignForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])
    code = StringField(_l("Confirmation code from the email"),
                       validators=[DataRequired(), Length(max=20)])
    typed_name = StringField(_l("Type your full name"), validators=[DataRequired(), Length(max=200)])
    consent = BooleanField(_l("I have read the statement above and consent to it."))
    signature_data = HiddenField()


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Why do you decline?"), validators=[DataRequired(), Length(max=2000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason for withdrawing"), validators=[DataRequired(), Length(max=2000)])


class VerifyForm(FlaskForm):
    document = FileField(_l("The PDF document"))
    sha256 = StringField(_l("or its SHA-256 fingerprint"), validators=[Optional(), Length(max=100)])
