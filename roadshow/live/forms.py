"""The form that turns a docking request into a meeting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, URLField
from wtforms.validators import URL, DataRequired, NumberRange, Optional


class MeetingForm(FlaskForm):
    starts_at = DateTimeLocalField(
        _l("Starts at"), format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message=_l("Choose the day and time of the meeting."))])
    minutes = IntegerField(
        _l("Length in minutes"), default=30,
        validators=[DataRequired(message=_l("Give the meeting's length in minutes.")),
                    NumberRange(min=10, max=240, message=_l("A meeting lasts between 10 and 240 minutes."))])
    url = URLField(
        _l("Video meeting link"),
        validators=[Optional(), URL(require_tld=False, message=_l("Enter a full link starting with https://."))])
