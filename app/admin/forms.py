"""Forms for managing users."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import REQUIRED, CheckboxList, LongSelect, choices
from workflows.roles import ROLE_LABELS


class UserForm(FlaskForm):
    name = StringField("Navn", validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField("Stilling", validators=[Optional(), Length(max=120)])
    phone = StringField("Telefon", validators=[Optional(), Length(max=30)])
    organisation_id = SelectField("Organisasjon", coerce=int, widget=LongSelect())
    roles = CheckboxList("Roller", choices=choices(ROLE_LABELS.items()))
    active = BooleanField("Kan logge inn", default=True)
    submit = SubmitField("Lagre")


class NewUserForm(UserForm):
    email = EmailField("E-postadresse", validators=[
        DataRequired(REQUIRED), Email("Skriv en gyldig e-postadresse."), Length(max=254)])
    submit = SubmitField("Opprett bruker og send invitasjon")
