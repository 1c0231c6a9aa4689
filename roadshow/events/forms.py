"""Organizer forms for events, their phases and custom questions; messages are translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from roadshow.events.kinds import STAGES
from roadshow.events.labels import KIND_LABELS, PHASE_LABELS, QUESTION_KIND_LABELS, STAGE_LABELS
from roadshow.events.phases import PHASE_ORDER

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TrackEntry(Form):
    code = StringField(_l("Code"), validators=[
        Optional(), Length(max=40),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case letters, digits and hyphens.")),
    ])
    name_zh = StringField(_l("Name (Chinese)"), validators=[Optional(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=160)])


class PhaseEntry(Form):
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMAT, validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMAT, validators=[Optional()])


class EventForm(FlaskForm):
    title_zh = StringField(_l("Title in Chinese"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=200)])
    description_zh = TextAreaField(_l("Description in Chinese"), validators=[Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=5000)])
    organizer_name_zh = StringField(_l("Organizer in Chinese"), validators=[Length(max=200)])
    organizer_name_en = StringField(_l("Organizer in English"), validators=[Length(max=200)])
    timezone = SelectField(_l("The event's time zone"), choices=[], validators=[DataRequired()])
    online = BooleanField(_l("Pitches take place online"), default=True)
    venue_zh = StringField(_l("Physical venue in Chinese (optional)"), validators=[Length(max=200)])
    venue_en = StringField(_l("Physical venue in English (optional)"), validators=[Length(max=200)])
    published = BooleanField(_l("Published (shown on the home page)"), default=True)
    kind = SelectField(_l("Kind of event"), choices=[], validators=[DataRequired()])
    stage_call = BooleanField(STAGE_LABELS["call"])
    stage_review = BooleanField(STAGE_LABELS["review"])
    stage_schedule = BooleanField(STAGE_LABELS["schedule"])
    stage_live = BooleanField(STAGE_LABELS["live"])
    stage_signing = BooleanField(STAGE_LABELS["signing"])
    districts = MultiCheckboxField(_l("Districts taking part"), coerce=int, choices=[])
    tracks = FieldList(FormField(TrackEntry), min_entries=6, max_entries=20)
    call = FormField(PhaseEntry, label=PHASE_LABELS["call"])
    review = FormField(PhaseEntry, label=PHASE_LABELS["review"])
    roadshow = FormField(PhaseEntry, label=PHASE_LABELS["roadshow"])
    signing = FormField(PhaseEntry, label=PHASE_LABELS["signing"])

    def phase_fields(self) -> list[tuple[str, FormField]]:
        return [(kind, getattr(self, kind)) for kind in PHASE_ORDER]

    def stage_fields(self) -> list[tuple[str, BooleanField]]:
        return [(stage, getattr(self, f"stage_{stage}")) for stage in STAGES]

    def set_kinds(self) -> None:
        self.kind.choices = [(k, str(v)) for k, v in KIND_LABELS.items()]


class CopyForm(FlaskForm):
    """New event from this one: titles, slug, kind, the new main day and the zone."""

    title_zh = StringField(_l("Title in Chinese"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Web address (slug)"), validators=[
        DataRequired(), Length(max=60),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case letters, digits and hyphens."))])
    kind = SelectField(_l("Kind of event"), choices=[], validators=[DataRequired()])
    main_day = DateField(_l("The new main day"), validators=[DataRequired()])
    timezone = SelectField(_l("The event's time zone"), choices=[], validators=[DataRequired()])

    def set_kinds(self) -> None:
        self.kind.choices = [(k, str(v)) for k, v in KIND_LABELS.items()]


class PhaseControlForm(FlaskForm):
    override = SelectField(_l("Current phase"), choices=[])
    call_closed_by_hand = BooleanField(_l("Close the call for projects now, whatever its dates"))

    def set_choices(self) -> None:
        self.override.choices = [("", str(_l("Follow the dates")))] + [
            (kind, str(PHASE_LABELS[kind])) for kind in PHASE_ORDER
        ]


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of answer"), choices=[])
    prompt_zh = StringField(_l("Question in Chinese"), validators=[DataRequired(), Length(max=300)])
    prompt_en = StringField(_l("Question in English"), validators=[DataRequired(), Length(max=300)])
    choices_zh = TextAreaField(_l("Options in Chinese, one per line"), validators=[Length(max=3000)])
    choices_en = TextAreaField(_l("Options in English, one per line"), validators=[Length(max=3000)])
    required = BooleanField(_l("An answer is required to submit"))

    def set_choices(self) -> None:
        self.kind.choices = [(k, str(v)) for k, v in QUESTION_KIND_LABELS.items()]
