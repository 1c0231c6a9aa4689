"""The district form; labels in both languages' catalogs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class DistrictForm(FlaskForm):
    code = StringField(_l("Short code (Latin letters, for links and exports)"),
                       validators=[DataRequired(), Length(max=40)])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=[])
    industries_zh = StringField(_l("Leading industries in Chinese"),
                                validators=[Optional(), Length(max=400)])
    industries_en = StringField(_l("Leading industries in English"),
                                validators=[Optional(), Length(max=400)])
    offer_zh = TextAreaField(_l("What the district offers talents, in Chinese"),
                             validators=[Optional(), Length(max=5000)])
    offer_en = TextAreaField(_l("What the district offers talents, in English"),
                             validators=[Optional(), Length(max=5000)])
