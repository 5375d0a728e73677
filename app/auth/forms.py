"""Account forms: shape only; the rules live in app.auth.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.fields import MultiLine, OneLine


def district_choices():
    return [("liwan", _l("Liwan")), ("nanhai", _l("Nanhai"))]


def issuer_choices():
    return [
        ("liwan_yingcai", _l("Liwan Yingcai card")),
        ("nanhai_kunpeng", _l("Nanhai Kunpeng talent code")),
        ("foshan_youyue", _l("Foshan Youyue card")),
    ]


class RegisterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100), OneLine()])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=30), OneLine()])
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], description=_l("At least 8 characters, with letters and digits.")
    )
    district = SelectField(_l("Your district"), choices=district_choices)
    issuer = SelectField(_l("Credential"), choices=issuer_choices)
    number = StringField(_l("Credential number"), validators=[DataRequired(), Length(max=64), OneLine()])
    consent = BooleanField(_l("I have read and agree to the privacy notice"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Stay logged in"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=500), MultiLine()])


class RegistryUploadForm(FlaskForm):
    file = FileField(
        _l("Registry file (CSV or XLSX)"),
        validators=[FileRequired(), FileAllowed(["csv", "xlsx", "txt"], _l("CSV or XLSX files only."))],
    )
