"""The forms of docking: turning a request into a meeting, and the applicant's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional


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


class FollowUpAnswerForm(FlaskForm):
    """The applicant's answer to a district's request; times are in the applicant's zone."""

    answer = RadioField(
        _l("Your answer"),
        choices=[SelectChoice("accepted", _l("Yes, I would like to talk: the district proposes a time")),
                 SelectChoice("proposed", _l("Yes, at one of the times I propose below")),
                 SelectChoice("declined", _l("No, thank you"))],
        validators=[InputRequired(message=_l("Choose one of the answers."))])
    time_1 = DateTimeLocalField(_l("First time that suits you"), format="%Y-%m-%dT%H:%M",
                                validators=[Optional()])
    time_2 = DateTimeLocalField(_l("Second time (optional)"), format="%Y-%m-%dT%H:%M",
                                validators=[Optional()])
    time_3 = DateTimeLocalField(_l("Third time (optional)"), format="%Y-%m-%dT%H:%M",
                                validators=[Optional()])
    note = TextAreaField(_l("Message to the district (optional)"),
                         validators=[Optional(), Length(max=500, message=_l("Keep the message under 500 characters."))])
