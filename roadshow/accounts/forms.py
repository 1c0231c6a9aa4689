"""Account forms; every message is translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from roadshow.config import LANGUAGES


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    name_native = StringField(_l("Name in Chinese characters (if you have one)"),
                              validators=[Optional(), Length(max=120)])
    locale = SelectField(_l("Language"), choices=list(LANGUAGES.items()))
    timezone = SelectField(_l("Time zone"), choices=[])
