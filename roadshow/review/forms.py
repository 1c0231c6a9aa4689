"""Forms of the review domain, with translated labels and messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from roadshow.review.models import InterestLevel, SeeOtherReviews


class CriterionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(_l("Give the criterion a short code.")), Length(max=40),
        Regexp(r"^[A-Za-z][A-Za-z0-9_-]*$", message=_l("Use letters, digits, - and _ only, starting with a letter."))])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(_l("Enter the Chinese name.")), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(_l("Enter the English name.")), Length(max=160)])
    guidance_zh = TextAreaField(_l("Guidance for judges (Chinese)"), validators=[Optional(), Length(max=2000)])
    guidance_en = TextAreaField(_l("Guidance for judges (English)"), validators=[Optional(), Length(max=2000)])
    weight = FloatField(_l("Weight"), validators=[
        InputRequired(_l("Enter a weight.")), NumberRange(min=0.01, max=1000, message=_l("The weight must be more than zero."))])
    scale_min = IntegerField(_l("Lowest score"), default=1, validators=[
        InputRequired(_l("Enter the lowest score.")), NumberRange(min=0, max=100, message=_l("Use a whole number from 0 to 100."))])
    scale_max = IntegerField(_l("Highest score"), default=10, validators=[
        InputRequired(_l("Enter the highest score.")), NumberRange(min=1, max=100, message=_l("Use a whole number from 1 to 100."))])
    required = BooleanField(_l("Required: a review is complete only with this criterion scored"), default=True)


class SettingsForm(FlaskForm):
    judges_per_application = IntegerField(_l("Judges per application"), validators=[
        InputRequired(_l("Enter how many judges review each application.")),
        NumberRange(min=1, max=20, message=_l("Use a number from 1 to 20."))])
    blind = BooleanField(_l("Blind review: hide the applicant's identity from judges"))
    see_other_reviews = SelectField(_l("Judges see other judges' reviews"), choices=[
        SelectChoice(SeeOtherReviews.NEVER.value, _l("Never: each judge sees only their own review")),
        SelectChoice(SeeOtherReviews.AFTER_SUBMIT.value, _l("After submitting their own")),
    ])
    finalist_count = IntegerField(_l("Number of finalists"), validators=[
        InputRequired(_l("Enter the number of finalists.")),
        NumberRange(min=1, max=10000, message=_l("Use a number from 1 to 10,000."))])
    recruiters_see_scores = BooleanField(_l("District recruiters may see review scores"))
    recruiters_read_decks = BooleanField(
        _l("District recruiters may open the decks of applications that chose their district or that they marked"))


class JudgeProfileForm(FlaskForm):
    institution = StringField(_l("Institution"), validators=[Optional(), Length(max=200)])
    associates = TextAreaField(_l("Co-authors, teams and companies you work with (one per line)"),
                               validators=[Optional(), Length(max=5000)])
    tracks = SelectMultipleField(_l("Tracks of expertise"), coerce=int, validators=[Optional()])
    capacity = IntegerField(_l("Most applications this judge can take (empty: no limit)"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Use a number of at least 1."))])


class ConflictDeclarationForm(FlaskForm):
    reason = TextAreaField(_l("Why you cannot review this application fairly"), validators=[
        DataRequired(_l("Say briefly what the conflict is.")), Length(max=1000)])


class RecordConflictForm(FlaskForm):
    judge_id = SelectField(_l("Judge"), coerce=int)
    application_id = IntegerField(_l("Application number"), validators=[
        InputRequired(_l("Enter the application number."))])
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Say what the conflict is.")), Length(max=1000)])


class AssignForm(FlaskForm):
    judge_id = SelectField(_l("Judge"), coerce=int)


class InterestForm(FlaskForm):
    level = SelectField(_l("Your district's interest"), choices=[
        SelectChoice(InterestLevel.NONE.value, _l("No interest")),
        SelectChoice(InterestLevel.INTERESTED.value, _l("Interested")),
        SelectChoice(InterestLevel.STRONG.value, _l("Strongly interested")),
    ])
    note = TextAreaField(_l("Note (what fits, what you would offer)"), validators=[Optional(), Length(max=2000)])


class OverrideForm(FlaskForm):
    selected = SelectField(_l("Decision"), choices=[SelectChoice("1", _l("Finalist")), SelectChoice("0", _l("Not selected"))])
    reason = TextAreaField(_l("Reason for the override (recorded)"), validators=[
        DataRequired(_l("Write the reason for the override: it is recorded with the decision.")),
        Length(min=5, max=2000, message=_l("Write at least a short sentence (5 characters or more)."))])


class ReviewForm(FlaskForm):
    """Score fields are added per criterion by the view (score-<code>, comment-<code>)."""

    version = HiddenField()
    overall_comment = TextAreaField(_l("Overall comment"), validators=[Optional(), Length(max=5000)])
