"""The conference's plan and programme (intranet), the public registration form and the attendance list."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.forms import INVALID_NUMBER, REQUIRED, CheckboxList, DateField, IntegerField, StoredSelect, TimeField

NO_ORGANISATION = 0  # the choice "not in the list": the organisation is typed instead


class ConferenceForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    held_on = DateField(_l("Dato"), validators=[InputRequired(REQUIRED)])
    place = StringField(_l("Sted"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Om konferansen"), validators=[Optional(), Length(max=5000)])
    capacity = IntegerField(_l("Antall plasser"), validators=[InputRequired(INVALID_NUMBER),
                                                              NumberRange(min=1, max=100000)])
    registration_deadline = DateField(_l("Påmeldingsfrist"), validators=[InputRequired(REQUIRED)])
    consent_text = TextAreaField(_l("Samtykketekst på påmeldingsskjemaet"),
                                 validators=[DataRequired(REQUIRED), Length(max=5000)])


class SessionForm(FlaskForm):
    starts_at = TimeField(_l("Starter kl."), validators=[InputRequired(REQUIRED)])
    ends_at = TimeField(_l("Slutter kl."), validators=[Optional()])
    title = StringField(_l("Tittel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    speakers = StringField(_l("Innledere"), validators=[Optional(), Length(max=500)])


class RegistrationForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-postadresse"), validators=[
        DataRequired(REQUIRED), Email(_l("Skriv en gyldig e-postadresse.")), Length(max=254)])
    organisation_id = SelectField(_l("Organisasjon"), coerce=int, default=NO_ORGANISATION,
                                  widget=StoredSelect("conference_organisation_select"))
    organisation_text = StringField(_l("Annen organisasjon"), validators=[Optional(), Length(max=200)])
    dietary_needs = TextAreaField(_l("Allergier eller andre behov for mat"), validators=[Optional(), Length(max=500)])
    consent = BooleanField(_l("Jeg samtykker"), validators=[DataRequired(_l("Du må samtykke for å melde deg på."))])


class AttendanceForm(FlaskForm):
    attended = CheckboxList(_l("Møtte"), coerce=int)
