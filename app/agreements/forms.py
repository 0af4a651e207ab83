"""Forms for issuing, signing, registering a scanned agreement, giving notice and checking a sealed PDF."""
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup, escape
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms import REQUIRED, DateField, IntegerField


class IssueForm(FlaskForm):
    agreement_end = DateField(_l("Avtalen gjelder til og med"), validators=[DataRequired(REQUIRED)])
    contribution = IntegerField(_l("Årlig bidrag i kroner"), validators=[
        InputRequired(REQUIRED),
        NumberRange(0, 10_000_000, _l("Skriv et beløp mellom 0 og 10\u00a0000\u00a0000 kroner."))])
    contribution_from = IntegerField(_l("Første år med bidrag"), validators=[
        InputRequired(REQUIRED), NumberRange(min=2000, max=2100, message=_l("Skriv et årstall."))])
    contribution_to = IntegerField(_l("Siste år med bidrag"), validators=[
        InputRequired(REQUIRED), NumberRange(min=2000, max=2100, message=_l("Skriv et årstall."))])
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Send avtalen til signering"))


class SignForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(REQUIRED), Length(max=120)])
    confirm = BooleanField()
    submit = SubmitField(_l("Signer avtalen"))

    def __init__(self, party_name: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.party_name = party_name
        name = Markup('<span translate="no">{}</span>').format(party_name)
        self.confirm.label.text = Markup(escape(_("Jeg signerer på vegne av %(party)s"))) % {"party": name}

    def validate_confirm(self, field):
        if not field.data:
            raise ValidationError(_("Kryss av for å bekrefte at du signerer på vegne av %(party)s.",
                                    party=self.party_name))


class UploadForm(FlaskForm):
    party = RadioField(_l("Parten som har signert"),
                       validators=[InputRequired(_l("Velg hvilken part som har signert."))])
    name = StringField(_l("Navn på den som signerte"), validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField(_l("Tittel"), validators=[DataRequired(REQUIRED), Length(max=120)])
    signed_on = DateField(_l("Dato for signaturen"), validators=[DataRequired(REQUIRED)])
    document = FileField(_l("Skannet, signert avtale (PDF, høyst 10 MB)"), validators=[
        FileRequired(_l("Velg filen med den skannede avtalen.")), FileAllowed(["pdf"], _l("Filen må være en PDF."))])
    submit = SubmitField(_l("Registrer signaturen"))


class NoticeForm(FlaskForm):
    notice_date = DateField(_l("Dato for den skriftlige oppsigelsen"), validators=[DataRequired(REQUIRED)])
    reason = TextAreaField(_l("Begrunnelse (valgfritt)"), validators=[Optional(), Length(max=4000)])
    review = SubmitField(_l("Se over oppsigelsen"))
    edit = SubmitField(_l("Gå tilbake og endre"))
    send = SubmitField(_l("Send oppsigelsen"))


class CheckForm(FlaskForm):
    document = FileField(_l("PDF-en som skal kontrolleres (høyst 10 MB)"), validators=[
        FileRequired(_l("Velg PDF-en som skal kontrolleres."))])
    submit = SubmitField(_l("Kontroller PDF-en"))
