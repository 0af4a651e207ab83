"""Forms for planning meetings and recording their minutes."""
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED, CheckboxList, DateField, TimeField


class MeetingForm(FlaskForm):
    date = DateField("Dato", validators=[DataRequired(REQUIRED)])
    start_time = TimeField("Starter kl.", default=time(10, 0), validators=[DataRequired(REQUIRED)])
    end_time = TimeField("Slutter kl.", default=time(14, 0), validators=[DataRequired(REQUIRED)])
    place = StringField("Sted", validators=[DataRequired(REQUIRED), Length(max=200)])
    agenda = TextAreaField("Saksliste", validators=[Optional(), Length(max=20000)])
    q = StringField(_l("Søk etter person"), validators=[Optional(), Length(max=100)])
    invitees = CheckboxList("Inviterte", coerce=int)
    submit = SubmitField("Lagre og send innkalling")


class MinutesForm(FlaskForm):
    minutes = TextAreaField("Referat", validators=[Optional(), Length(max=100000)])
    minutes_file = FileField("Referat som PDF", validators=[FileAllowed(["pdf"], "Last opp en PDF-fil.")])
    submit = SubmitField("Lagre referatet")
