"""Applicant and organizer forms; every label and message is translated."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FileField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from roadshow import countries
from roadshow.applications.policy import is_registration
from roadshow.events.models import Event, QuestionKind
from roadshow.i18n import current_locale_code, localized

STAGE_LABELS = {
    "idea": _l("Idea or research result"),
    "prototype": _l("Prototype or pilot"),
    "early_revenue": _l("First customers or revenue"),
    "growth": _l("Growing company"),
}
DEGREE_LABELS = {
    "phd": _l("Doctorate (PhD)"),
    "md": _l("Doctor of Medicine (MD)"),
    "master": _l("Master's degree"),
    "bachelor": _l("Bachelor's degree"),
    "other": _l("Other"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "withdrawn": _l("Withdrawn"),
    "finalist": _l("Finalist"),
    "not_selected": _l("Not selected"),
}
SORT_LABELS = {
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "title": _l("Title"),
    "country": _l("Country"),
    "applicant": _l("Applicant"),
    "track": _l("Track"),
}
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> the country's name in the reader's language."""
    return countries.country_names(current_locale_code())


def country_choices() -> list[tuple[str, str]]:
    """Every country, in the reader's order (pinyin order in Chinese)."""
    return [("", str(_l("Choose a country"))), *countries.sorted_countries(current_locale_code())]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LenientDecimalField(DecimalField):
    """Accepts 1,500,000 and 1 500 000 as well as 1500000."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].replace(",", "").replace(" ", "").replace("，", "")]
        super().process_formdata(valuelist)


class Range(NumberRange):
    """NumberRange that stays silent when the value did not parse (that error is enough)."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is None:
            return
        super().__call__(form, field)


def _web_link(_form: Any, field: Any) -> None:
    if field.errors:
        return
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError(_l("Please enter a link that starts with https://."))


class ProfileForm(FlaskForm):
    name_latin = StringField(_l("Name in Latin letters"), validators=[DataRequired(), Length(max=120)])
    name_chinese = StringField(_l("Name in Chinese characters (if you have one)"),
                               validators=[Optional(), Length(max=60)])
    nationality = SelectField(_l("Nationality"), choices=[], validators=[DataRequired()])
    country_of_residence = SelectField(_l("Country of residence"), choices=[], validators=[DataRequired()])
    institution = StringField(_l("Current institution or company"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[DataRequired(), Length(max=120)])
    highest_degree = SelectField(_l("Highest degree"), choices=[], validators=[DataRequired()])
    research_field = StringField(_l("Research field"), validators=[DataRequired(), Length(max=200)])
    bio = TextAreaField(_l("Short biography"), validators=[Optional(), Length(max=2000)])

    def set_choices(self) -> None:
        countries = country_choices()
        self.nationality.choices = countries
        self.country_of_residence.choices = countries
        self.highest_degree.choices = [("", str(_l("Choose a degree")))] + [
            (k, str(v)) for k, v in DEGREE_LABELS.items()]


class ApplicationForm(FlaskForm):
    title_en = StringField(_l("Project title in English"), validators=[Optional(), Length(max=300)])
    title_zh = StringField(_l("Project title in Chinese (optional)"), validators=[Optional(), Length(max=300)])
    summary = TextAreaField(_l("Summary of the project"), validators=[Optional(), Length(max=3000)])
    track = SelectField(_l("Industry track"), choices=[], validators=[Optional()])
    stage = SelectField(_l("Stage of the project"), choices=[], validators=[Optional()])
    team_size = IntegerField(_l("Team size (people)"), validators=[
        Optional(), Range(min=1, max=10000, message=_l("Enter a number of people from 1 to 10,000."))])
    funding_sought_cny = LenientDecimalField(_l("Funding sought (yuan)"), places=2, validators=[
        Optional(), Range(min=0, max=10**12, message=_l("Enter an amount of yuan from 0 to 1,000,000,000,000."))])
    districts = MultiCheckboxField(_l("Districts of interest"), coerce=int, choices=[])
    support_sought = TextAreaField(_l("What support do you seek?"), validators=[Optional(), Length(max=2000)])
    video_url = URLField(_l("Link to a video (optional)"), validators=[
        Optional(), Length(max=500), URL(message=_l("Please enter a full web address.")), _web_link])
    deck = FileField(_l("Pitch deck (PDF or PowerPoint)"))
    #: optional, never ticked for the applicant: join the office's talent pool on submitting
    join_pool = BooleanField(_l("Add me to the office's talent pool"), default=False)
    form_token = HiddenField()
    #: the version of the application the form was filled from (edits in two windows)
    version = HiddenField()

    #: fields a submission needs; marked with an asterisk
    SUBMIT_REQUIRED = ("title_en", "summary", "track", "stage", "team_size", "deck")

    def set_choices(self, event: Event) -> None:
        self.track.choices = [("", str(_l("Choose a track")))] + [
            (str(t.id), localized(t, "name")) for t in event.tracks]
        self.stage.choices = [("", str(_l("Choose a stage")))] + [
            (k, str(v)) for k, v in STAGE_LABELS.items()]
        self.districts.choices = [(d.id, localized(d, "name")) for d in event.districts]
        if not is_registration(event):
            for name in self.SUBMIT_REQUIRED:
                getattr(self, name).flags.required = True
        for question in event.questions:
            if question.required:
                self[f"q_{question.id}"].flags.required = True

    def question_fields(self, event: Event) -> list[tuple[Any, Any]]:
        return [(q, self[f"q_{q.id}"]) for q in event.questions]


def form_class_for(event: Event) -> type[ApplicationForm]:
    """The application form with a field per custom question of the event."""

    class EventApplicationForm(ApplicationForm):
        pass

    zh = current_locale_code().startswith("zh")
    for question in event.questions:
        label = (question.prompt_zh or question.prompt_en) if zh else (question.prompt_en or question.prompt_zh)
        name = f"q_{question.id}"
        if question.kind == QuestionKind.TEXT:
            field = TextAreaField(label, validators=[Optional(), Length(max=3000)])
        elif question.kind == QuestionKind.NUMBER:
            field = LenientDecimalField(label, places=None, validators=[Optional()])
        elif question.kind == QuestionKind.CHOICE:
            options = [SelectChoice(key, zh_text if zh else en_text)
                       for key, zh_text, en_text in question.options()]
            field = SelectField(label, choices=[SelectChoice("", str(_l("Choose one"))), *options],
                                validators=[Optional()])
        else:
            field = FileField(label)
        setattr(EventApplicationForm, name, field)
    return EventApplicationForm


def to_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def plain_number(value: Decimal | None) -> str:
    """12.5000 as 12.5, 1200.0000 as 1200 (never in exponent form)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
