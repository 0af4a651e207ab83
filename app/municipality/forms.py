"""The reply to an invitation."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.forms import REQUIRED, choices
from app.models.invitation import ANSWER_LABELS


class ReplyForm(FlaskForm):
    answer = RadioField(_l("Svar"), choices=choices(ANSWER_LABELS.items()),
                        validators=[InputRequired(_l("Velg om kommunen takker ja eller nei."))])
    contact_name = StringField(_l("Navn"), validators=[DataRequired(REQUIRED), Length(max=120)])
    contact_title = StringField(_l("Stilling"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(_l("E-postadresse"), validators=[
        DataRequired(REQUIRED), Email(_l("Skriv en gyldig e-postadresse.")), Length(max=254)])
    contact_phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=30)])
    steering_rep = StringField(_l("Representant i styringsgruppen"), validators=[Optional(), Length(max=120)])
    project_rep_1 = StringField(_l("Første representant i prosjektgruppen"), validators=[Optional(), Length(max=120)])
    project_rep_2 = StringField(_l("Andre representant i prosjektgruppen"), validators=[Optional(), Length(max=120)])
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=4000)])


class LateReplyForm(ReplyForm):
    """After the deadline the only question is whether the adviser will accept a yes."""

    answer = None
    comment = TextAreaField(_l("Melding til FoU-rådgiveren"), validators=[Optional(), Length(max=4000)])
