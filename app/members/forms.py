"""Forms of the membership area."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import REQUIRED, DateField, choices
from app.models.representative import GROUPS

EMAIL = [DataRequired(REQUIRED), Email("Skriv en gyldig e-postadresse."), Length(max=254)]


class PersonForm(FlaskForm):
    name = StringField("Navn", validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField("Stilling", validators=[Optional(), Length(max=120)])
    email = EmailField("E-postadresse", validators=EMAIL)
    phone = StringField("Telefon", validators=[Optional(), Length(max=30)])


class RepresentativeForm(PersonForm):
    group = SelectField("Gruppe", choices=choices(GROUPS.items()))
    user_id = SelectField("Bruker i intranettet", coerce=int, validators=[Optional()])
    starts_on = DateField("Første dag i perioden", validators=[DataRequired(REQUIRED)])
    ends_on = DateField("Siste dag i perioden", validators=[Optional()])
    submit = SubmitField("Send forslaget")


class ContactForm(PersonForm):
    submit = SubmitField("Lagre den administrative kontaktpersonen")


class RepresentativeStepForm(FlaskForm):
    """A step on a representative proposal: approve, reject (with the reason) or withdraw it."""
    comment = TextAreaField("Kommentar", validators=[Optional(), Length(max=4000)])
