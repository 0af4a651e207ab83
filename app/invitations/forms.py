"""Forms for invitation rounds: the terms and letter, the municipalities, deadlines."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import REQUIRED, CheckboxList, DateField, IntegerField

DATE = "Skriv en gyldig dato."
YEAR = NumberRange(2000, 2100, "Skriv et årstall, for eksempel 2027.")


class InviteForm(FlaskForm):
    """Municipalities to invite, with a region filter that only changes what is shown."""

    region = SelectField("Vis kommuner i", validate_choice=False)
    q = StringField(_l("Søk etter kommune"), validators=[Optional(), Length(max=100)])
    organisations = CheckboxList("Kommuner som inviteres", coerce=int)


class RoundForm(FlaskForm):
    title = StringField("Tittel", validators=[DataRequired(REQUIRED), Length(max=200)])
    reply_deadline = DateField("Svarfrist", validators=[DataRequired(DATE)])
    contribution = IntegerField("Årlig bidrag per kommune (kr)", validators=[
        InputRequired(REQUIRED), NumberRange(0, 10_000_000, "Skriv et beløp i hele kroner.")])
    contribution_from = IntegerField("Bidrag fra og med år", validators=[InputRequired(REQUIRED), YEAR])
    contribution_to = IntegerField("Bidrag til og med år", validators=[InputRequired(REQUIRED), YEAR])
    agreement_end = DateField("Avtalen gjelder til og med", validators=[DataRequired(DATE)])
    meeting = StringField("Møtet brevet varsler", validators=[Optional(), Length(max=300)])
    letter_text = TextAreaField("Brevtekst", validators=[DataRequired(REQUIRED), Length(max=20_000)])
    region = SelectField("Vis kommuner i", validate_choice=False)
    q = StringField(_l("Søk etter kommune"), validators=[Optional(), Length(max=100)])
    organisations = CheckboxList("Kommuner som inviteres", coerce=int)


class DeadlineForm(FlaskForm):
    deadline = DateField("Ny svarfrist", validators=[DataRequired(DATE)])
    reason = TextAreaField("Begrunnelse", validators=[DataRequired("Skriv hvorfor fristen forlenges."),
                                                      Length(max=4000)])
