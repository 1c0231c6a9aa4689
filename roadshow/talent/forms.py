"""Forms of the talent pool's pages; labels in the talent catalog.

Choices (categories, degrees, countries, the division codes of the native place) are filled by
the views; the services check again what a choice means and their errors come back next to the
field. The native place is three selects, province -> city -> county: without JavaScript, the
"Show the cities / counties" button sends the form back with the next list filled and nothing
saved.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

EMAIL_MESSAGE = _l("Please enter an email address such as name@example.com.")


class _Record:
    name_zh = StringField(_l("Name in Chinese characters"), validators=[Length(max=100)])
    name_en = StringField(_l("Name in Latin letters"), validators=[Length(max=200)])
    gender = SelectField(_l("Gender"), choices=[], validators=[Optional()])
    birth_year = IntegerField(_l("Year of birth"), validators=[
        Optional(), NumberRange(min=1900, max=2100, message=_l("Give a year such as 1985."))])
    native_province = SelectField(_l("Native place: province"), choices=[],
                                  validators=[Optional()])
    native_city = SelectField(_l("Native place: city"), choices=[], validators=[Optional()])
    native_county = SelectField(_l("Native place: county"), choices=[], validators=[Optional()])
    show_places = SubmitField(_l("Show the cities and counties"))
    residence_country = SelectField(_l("Country of residence"), choices=[],
                                    validators=[Optional()])
    residence_city = StringField(_l("City of residence"), validators=[Length(max=120)])
    employer = StringField(_l("Employer"), validators=[Length(max=200)])
    position = StringField(_l("Position"), validators=[Length(max=200)])
    title = StringField(_l("Professional title"), validators=[Length(max=120)])
    degree = SelectField(_l("Highest degree"), choices=[], validators=[Optional()])
    school = StringField(_l("School or university"), validators=[Length(max=200)])
    field = StringField(_l("Field"), validators=[Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(message=EMAIL_MESSAGE),
                                                Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    languages = StringField(_l("Languages"), validators=[Length(max=120)])


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PersonForm(FlaskForm, _Record):
    """An officer's form for a record."""

    industries = _Checkboxes(_l("Industry chains and fields"), choices=[], coerce=int,
                             validators=[Optional()])
    category = SelectField(_l("Category"), choices=[], validators=[DataRequired()])
    recommended_by = StringField(_l("Recommended by"), validators=[Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000)])
    consent_recorded = BooleanField(_l("The person agreed to be kept in the pool (the wording "
                                       "below was read to them)"))


class OwnRecordForm(FlaskForm, _Record):
    """A person corrects their own record."""


class JoinForm(FlaskForm, _Record):
    """The public form for joining an office's pool."""

    category = SelectField(_l("Which describes you best?"), choices=[],
                           validators=[DataRequired()])
    consent = BooleanField(_l("I agree to the use of my information described above."),
                           validators=[InputRequired(message=_l(
                               "Please agree to the use of your information to join the "
                               "pool."))])


class ContactForm(FlaskForm):
    kind = SelectField(_l("How"), choices=[], validators=[DataRequired()])
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Give the day."))])
    at = TimeField(_l("Time"), validators=[InputRequired(message=_l("Give the time."))])
    summary = TextAreaField(_l("What was discussed"), validators=[Length(max=5000)])
    next_step = StringField(_l("Next step"), validators=[Length(max=300)])
    next_due_on = DateField(_l("Next step due on"), validators=[Optional()])
    shared = BooleanField(_l("Alliance partners may read this entry"))


class StationForm(FlaskForm):
    slug = StringField(_l("Short address"), validators=[DataRequired(), Length(max=60)])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    city_zh = StringField(_l("City (Chinese)"), validators=[Length(max=120)])
    city_en = StringField(_l("City (English)"), validators=[Length(max=120)])
    country = SelectField(_l("Country"), choices=[], validators=[DataRequired()])
    opened_on = DateField(_l("Opened on"), validators=[InputRequired(
        message=_l("Give the day the station opened."))])


class AppointForm(FlaskForm):
    email = EmailField(_l("Email of the person's account"), validators=[
        DataRequired(), Email(message=EMAIL_MESSAGE)])
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])
    appointed_on = DateField(_l("Appointed on"), validators=[InputRequired(
        message=_l("Give the day of the appointment."))])


class EndAppointmentForm(FlaskForm):
    ended_on = DateField(_l("Ended on"), validators=[InputRequired(
        message=_l("Give the day the appointment ended."))])


class IndustryForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    parent = SelectField(_l("Industry chain (empty: this is a chain)"), choices=[],
                         validators=[Optional()])


class EraseForm(FlaskForm):
    """An organizer erases a person at their request: why, and how the request came."""

    note = TextAreaField(_l("Reason for the erasure"), validators=[
        InputRequired(message=_l("Say why the record is erased, for example \"asked by phone "
                                 "on 3 December\".")),
        Length(max=300, message=_l("Keep the reason under 300 characters."))])


class PoolShareForm(FlaskForm):
    """An office shares its pool, all of it or one category, with one of its alliances."""

    alliance = SelectField(_l("Alliance"), choices=[], validators=[
        DataRequired(message=_l("Choose the alliance."))])
    category = SelectField(_l("What to share"), choices=[], validators=[Optional()])
    contacts_shared = BooleanField(_l("Share the contact log entries marked as shared with "
                                      "the alliance"))
