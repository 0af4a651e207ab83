"""Forms for managing users."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.forms import REQUIRED
from app.models.user import ROLE_LABELS


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    name = StringField("Navn", validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField("Stilling", validators=[Optional(), Length(max=120)])
    phone = StringField("Telefon", validators=[Optional(), Length(max=30)])
    organisation_id = SelectField("Organisasjon", coerce=int)
    roles = CheckboxList("Roller", choices=list(ROLE_LABELS.items()))
    active = BooleanField("Kan logge inn", default=True)
    submit = SubmitField("Lagre")


class NewUserForm(UserForm):
    email = EmailField("E-postadresse", validators=[
        DataRequired(REQUIRED), Email("Skriv en gyldig e-postadresse."), Length(max=254)])
    submit = SubmitField("Opprett bruker og send invitasjon")


class ConfirmForm(FlaskForm):
    """An empty form: a POST button protected by CSRF."""

    submit = SubmitField("Bekreft")
