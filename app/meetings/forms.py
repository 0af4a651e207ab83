"""Forms for planning meetings, their agenda items and decisions, and recording and approving their minutes."""
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED, CheckboxList, DateField, TimeField

PDF_ONLY = _l("Last opp en PDF-fil.")


class MeetingForm(FlaskForm):
    date = DateField(_l("Dato"), validators=[DataRequired(REQUIRED)])
    start_time = TimeField(_l("Starter kl."), default=time(10, 0), validators=[DataRequired(REQUIRED)])
    end_time = TimeField(_l("Slutter kl."), default=time(14, 0), validators=[DataRequired(REQUIRED)])
    place = StringField(_l("Sted"), validators=[DataRequired(REQUIRED), Length(max=200)])
    group = BooleanField()  # labelled by the view: the group a meeting of its kind invites
    q = StringField(_l("Søk etter person"), validators=[Optional(), Length(max=100)])
    invitees = CheckboxList(_l("Inviterte"), coerce=int)
    # The ids the list showed: for them the box decides, for the others the group.
    listed = HiddenField(validators=[Length(max=100_000)])
    submit = SubmitField(_l("Lagre og send innkalling"))


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Referat"), validators=[Optional(), Length(max=100000)])
    minutes_file = FileField(_l("Referat som PDF"), validators=[FileAllowed(["pdf"], PDF_ONLY)])
    submit = SubmitField(_l("Lagre referatet"))


class MinutesStepForm(FlaskForm):
    """A step of the minutes: putting them before a later meeting names it; the approval's comment is the
    meeting's vedtak, a return's what is to be corrected (labels set by the view)."""

    meeting_id = SelectField(_l("Møtet som skal godkjenne referatet"), coerce=int,
                             invalid_choice_message=_l("Velg et senere møte i samme organ."))
    comment = TextAreaField(_l("Kommentar"), validators=[Length(max=4000)])

    def __init__(self, *args, choose_meeting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_meeting:
            del self.meeting_id


class ItemForm(FlaskForm):
    title = StringField(_l("Sak"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Beskrivelse"), validators=[Optional(), Length(max=20000)])
    submit = SubmitField(_l("Lagre saken"))


class DecisionForm(FlaskForm):
    decision = TextAreaField(_l("Vedtak"), validators=[DataRequired(REQUIRED), Length(max=20000)])
    reason = TextAreaField(_l("Hvorfor vedtaket endres"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Registrer vedtaket"))


class DocumentForm(FlaskForm):
    title = StringField(_l("Dokumentets navn"), validators=[DataRequired(REQUIRED), Length(max=200)])
    file = FileField(_l("Dokument (PDF)"), validators=[FileRequired(PDF_ONLY), FileAllowed(["pdf"], PDF_ONLY)])
    submit = SubmitField(_l("Legg ved dokumentet"))
