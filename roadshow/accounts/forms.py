"""Account forms; every message is translated."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from roadshow.accounts.services import password_problem
from roadshow.config import LANGUAGES


def choices(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as WTForms' ``SelectChoice`` (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


def _email_field() -> EmailField:
    """An email field whose format error is ours (WTForms' own reads "无效的 Email 地址" in Chinese)."""
    return EmailField(_l("Email"), validators=[
        DataRequired(), Email(message=_l("Please enter an email address such as name@example.com.")),
        Length(max=254)])


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    name_native = StringField(_l("Name in Chinese characters (if you have one)"),
                              validators=[Optional(), Length(max=120)])
    locale = SelectField(_l("Language"), choices=choices(LANGUAGES.items()))
    timezone = SelectField(_l("Time zone"), choices=[])


def _strong_enough(form: FlaskForm, field: PasswordField) -> None:
    """The strength rules in the same round as the other fields (the service checks them again)."""
    email = form["email"].data if "email" in form else ""
    if field.data and (problem := password_problem(field.data, email or "")):
        raise ValidationError(problem)


def _password_pair() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200), _strong_enough]),
        PasswordField(_l("Repeat the password"), validators=[
            DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))]),
    )


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name (as in your passport)"), validators=[DataRequired(), Length(max=120)])
    name_native = StringField(_l("Name in Chinese characters (if you have one)"),
                              validators=[Optional(), Length(max=120)])
    email = _email_field()
    password, confirm = _password_pair()
    locale = SelectField(_l("Language"), choices=choices(LANGUAGES.items()))
    timezone = SelectField(_l("Time zone"), choices=[])
    #: the slug of the event whose apply link brought the person (``?event=<slug>``)
    event = HiddenField()


class EmailOnlyForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = _password_pair()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password, confirm = _password_pair()


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    name_native = StringField(_l("Name in Chinese characters (if you have one)"),
                              validators=[Optional(), Length(max=120)])
    password, confirm = _password_pair()
    locale = SelectField(_l("Language"), choices=choices(LANGUAGES.items()))
    timezone = SelectField(_l("Time zone"), choices=[])


class InvitationForm(FlaskForm):
    email = _email_field()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=[])
    district = SelectField(_l("District (for recruiters)"), choices=[])
    locale = SelectField(_l("Language of the invitation"), choices=choices(LANGUAGES.items()))

