"""Forms of the office, alliance and administration pages; labels in both languages' catalogs.

The choices (kinds, zones, offices, events) are filled by the views; what a choice means is
checked again by the services, whose errors come back next to the field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

SLUG_HELP = _l("Lower-case Latin letters, digits and hyphens; it becomes the address of the "
               "pages and cannot be changed later.")


class _Names:
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])


class OrganisationSettingsForm(FlaskForm, _Names):
    kind = SelectField(_l("Kind of office"), choices=[])
    timezone = SelectField(_l("Time zone"), choices=[])


class OrganisationForm(OrganisationSettingsForm):
    slug = StringField(_l("Short address"), validators=[DataRequired(), Length(max=60)],
                       description=SLUG_HELP)
    organizer_email = EmailField(
        _l("First organizer's email (an existing account; optional)"),
        validators=[Optional(), Email(message=_l(
            "Please enter an email address such as name@example.com."))])


class MemberForm(FlaskForm):
    email = EmailField(_l("Email of the new organizer's account"), validators=[
        DataRequired(),
        Email(message=_l("Please enter an email address such as name@example.com."))])


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AllianceForm(FlaskForm, _Names):
    slug = StringField(_l("Short address"), validators=[DataRequired(), Length(max=60)],
                       description=SLUG_HELP)
    organisations = _Checkboxes(_l("Member offices"), choices=[], coerce=int)


class ShareForm(FlaskForm):
    kind = SelectField(_l("What to share"), choices=[])
    event = SelectField(_l("Event (not for the judge pool)"), choices=[], validators=[Optional()])


class AllianceMembersForm(FlaskForm):
    """The member offices of one existing alliance (posted to the alliances page with the
    alliance's id in ``alliance_id``, its fields prefixed ``a<id>``)."""

    members = _Checkboxes(_l("Member offices"), choices=[], coerce=int)
