"""Forms of the scheduling domain, with translated labels and messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from roadshow.scheduling.models import RsvpStatus


class SessionForm(FlaskForm):
    title_zh = StringField(_l("Title (Chinese)"), validators=[
        DataRequired(_l("Enter the Chinese title.")), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[
        DataRequired(_l("Enter the English title.")), Length(max=200)])
    day = DateField(_l("Date"), validators=[InputRequired(_l("Choose the date of the session."))])
    start = TimeField(_l("Starts at"), validators=[InputRequired(_l("Enter the start time, e.g. 09:00."))])
    end = TimeField(_l("Ends at"), validators=[InputRequired(_l("Enter the end time, e.g. 12:00."))])
    track_id = SelectField(_l("Track"), coerce=int, default=0)
    join_url = StringField(_l("Video meeting link"), validators=[
        Optional(), Length(max=500),
        URL(require_tld=False, message=_l("Enter a full link starting with https://."))])
    pitch_minutes = IntegerField(_l("Pitch (minutes)"), default=12, validators=[
        InputRequired(_l("Enter the pitch length.")),
        NumberRange(min=3, max=90, message=_l("Use a whole number of minutes from 3 to 90."))])
    qa_minutes = IntegerField(_l("Questions and answers (minutes)"), default=8, validators=[
        InputRequired(_l("Enter the length of the questions.")),
        NumberRange(min=0, max=60, message=_l("Use a whole number of minutes from 0 to 60."))])
    breaks = StringField(_l("Breaks"), validators=[Optional(), Length(max=300)])
    district_ids = SelectMultipleField(_l("Districts presenting their offers"), coerce=int)
    district_minutes = IntegerField(_l("Minutes per district presentation"), default=10, validators=[
        InputRequired(_l("Enter the length of a district presentation.")),
        NumberRange(min=3, max=60, message=_l("Use a whole number of minutes from 3 to 60."))])


class RsvpForm(FlaskForm):
    uid = StringField(validators=[DataRequired(), Length(max=120)])
    status = SelectField(choices=[SelectChoice(s.value, s.value) for s in RsvpStatus],
                         validators=[DataRequired()])
    comment = TextAreaField(_l("Comment for the organizers"), validators=[Optional(), Length(max=500)])
