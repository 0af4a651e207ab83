"""Forms for invitation rounds: the terms and letter, the municipalities, deadlines."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import REQUIRED, CheckboxList, DateField, IntegerField

DATE = _l("Skriv en gyldig dato.")
YEAR = NumberRange(2000, 2100, _l("Skriv et årstall, for eksempel 2027."))


class InviteForm(FlaskForm):
    """Municipalities to invite, with a region filter that only changes what is shown."""

    region = SelectField(_l("Vis kommuner i"), validate_choice=False)
    q = StringField(_l("Søk etter kommune"), validators=[Optional(), Length(max=100)])
    organisations = CheckboxList(_l("Kommuner som inviteres"), coerce=int)


class RoundForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    reply_deadline = DateField(_l("Svarfrist"), validators=[DataRequired(DATE)])
    contribution = IntegerField(_l("Årlig bidrag per kommune (kr)"), validators=[
        InputRequired(REQUIRED), NumberRange(0, 10_000_000, _l("Skriv et beløp i hele kroner."))])
    contribution_from = IntegerField(_l("Bidrag fra og med år"), validators=[InputRequired(REQUIRED), YEAR])
    contribution_to = IntegerField(_l("Bidrag til og med år"), validators=[InputRequired(REQUIRED), YEAR])
    agreement_end = DateField(_l("Avtalen gjelder til og med"), validators=[DataRequired(DATE)])
    meeting = StringField(_l("Møtet brevet varsler"), validators=[Optional(), Length(max=300)])
    letter_text = TextAreaField(_l("Brevtekst"), validators=[DataRequired(REQUIRED), Length(max=20_000)],
                                render_kw={"lang": "nb"})
    region = SelectField(_l("Vis kommuner i"), validate_choice=False)
    q = StringField(_l("Søk etter kommune"), validators=[Optional(), Length(max=100)])
    organisations = CheckboxList(_l("Kommuner som inviteres"), coerce=int)


class DeadlineForm(FlaskForm):
    deadline = DateField(_l("Ny svarfrist"), validators=[DataRequired(DATE)])
    reason = TextAreaField(_l("Begrunnelse"), validators=[DataRequired(_l("Skriv hvorfor fristen forlenges.")),
                                                          Length(max=4000)])
