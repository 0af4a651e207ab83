"""Forms for planning meetings and recording their minutes."""
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED, CheckboxList, DateField, TimeField


class MeetingForm(FlaskForm):
    date = DateField(_l("Dato"), validators=[DataRequired(REQUIRED)])
    start_time = TimeField(_l("Starter kl."), default=time(10, 0), validators=[DataRequired(REQUIRED)])
    end_time = TimeField(_l("Slutter kl."), default=time(14, 0), validators=[DataRequired(REQUIRED)])
    place = StringField(_l("Sted"), validators=[DataRequired(REQUIRED), Length(max=200)])
    agenda = TextAreaField(_l("Saksliste"), validators=[Optional(), Length(max=20000)])
    q = StringField(_l("Søk etter person"), validators=[Optional(), Length(max=100)])
    invitees = CheckboxList(_l("Inviterte"), coerce=int)
    submit = SubmitField(_l("Lagre og send innkalling"))


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Referat"), validators=[Optional(), Length(max=100000)])
    minutes_file = FileField(_l("Referat som PDF"), validators=[FileAllowed(["pdf"], _l("Last opp en PDF-fil."))])
    submit = SubmitField(_l("Lagre referatet"))
