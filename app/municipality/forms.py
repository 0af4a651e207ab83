"""The reply to an invitation."""
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.forms import REQUIRED, choices
from app.models.invitation import ANSWER_LABELS


class ReplyForm(FlaskForm):
    answer = RadioField("Svar", choices=choices(ANSWER_LABELS.items()),
                        validators=[InputRequired("Velg om kommunen takker ja eller nei.")])
    contact_name = StringField("Navn", validators=[DataRequired(REQUIRED), Length(max=120)])
    contact_title = StringField("Stilling", validators=[Optional(), Length(max=120)])
    contact_email = EmailField("E-postadresse", validators=[
        DataRequired(REQUIRED), Email("Skriv en gyldig e-postadresse."), Length(max=254)])
    contact_phone = StringField("Telefon", validators=[Optional(), Length(max=30)])
    steering_rep = StringField("Representant i styringsgruppen", validators=[Optional(), Length(max=120)])
    project_rep_1 = StringField("Første representant i prosjektgruppen", validators=[Optional(), Length(max=120)])
    project_rep_2 = StringField("Andre representant i prosjektgruppen", validators=[Optional(), Length(max=120)])
    comment = TextAreaField("Kommentar", validators=[Optional(), Length(max=4000)])


class LateReplyForm(ReplyForm):
    """After the deadline the only question is whether the adviser will accept a yes."""

    answer = None
    comment = TextAreaField("Melding til FoU-rådgiveren", validators=[Optional(), Length(max=4000)])
