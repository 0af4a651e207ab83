"""Forms of the membership area."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import REQUIRED, DateField, choices
from app.models.representative import GROUPS

EMAIL = [DataRequired(REQUIRED), Email(_l("Skriv en gyldig e-postadresse.")), Length(max=254)]


class PersonForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField(_l("Stilling"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-postadresse"), validators=EMAIL)
    phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=30)])


class RepresentativeForm(PersonForm):
    group = SelectField(_l("Gruppe"), choices=choices(GROUPS.items()))
    user_id = SelectField(_l("Bruker i intranettet"), coerce=int, validators=[Optional()])
    starts_on = DateField(_l("Første dag i perioden"), validators=[DataRequired(REQUIRED)])
    ends_on = DateField(_l("Siste dag i perioden"), validators=[Optional()])
    submit = SubmitField(_l("Send forslaget"))


class ContactForm(PersonForm):
    submit = SubmitField(_l("Lagre den administrative kontaktpersonen"))


class RepresentativeStepForm(FlaskForm):
    """A step on a representative proposal: approve, reject (with the reason) or withdraw it."""
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=4000)])
