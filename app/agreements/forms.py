"""Forms for issuing, signing, registering a scanned agreement, giving notice and checking a sealed PDF."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms import REQUIRED, DateField, IntegerField


class IssueForm(FlaskForm):
    agreement_end = DateField("Avtalen gjelder til og med", validators=[DataRequired(REQUIRED)])
    contribution = IntegerField("Årlig bidrag i kroner", validators=[
        InputRequired(REQUIRED),
        NumberRange(0, 10_000_000, "Skriv et beløp mellom 0 og 10\u00a0000\u00a0000 kroner.")])
    contribution_from = IntegerField("Første år med bidrag", validators=[
        InputRequired(REQUIRED), NumberRange(min=2000, max=2100, message="Skriv et årstall.")])
    contribution_to = IntegerField("Siste år med bidrag", validators=[
        InputRequired(REQUIRED), NumberRange(min=2000, max=2100, message="Skriv et årstall.")])
    comment = TextAreaField("Kommentar", validators=[Optional(), Length(max=4000)])
    submit = SubmitField("Send avtalen til signering")


class SignForm(FlaskForm):
    title = StringField("Tittel", validators=[DataRequired(REQUIRED), Length(max=120)])
    confirm = BooleanField()
    submit = SubmitField("Signer avtalen")

    def __init__(self, party_name: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.party_name = party_name
        self.confirm.label.text = f"Jeg signerer på vegne av {party_name}"

    def validate_confirm(self, field):
        if not field.data:
            raise ValidationError(f"Kryss av for å bekrefte at du signerer på vegne av {self.party_name}.")


class UploadForm(FlaskForm):
    party = RadioField("Parten som har signert", validators=[InputRequired("Velg hvilken part som har signert.")])
    name = StringField("Navn på den som signerte", validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField("Tittel", validators=[DataRequired(REQUIRED), Length(max=120)])
    signed_on = DateField("Dato for signaturen", validators=[DataRequired(REQUIRED)])
    document = FileField("Skannet, signert avtale (PDF, høyst 10 MB)", validators=[
        FileRequired("Velg filen med den skannede avtalen."), FileAllowed(["pdf"], "Filen må være en PDF.")])
    submit = SubmitField("Registrer signaturen")


class NoticeForm(FlaskForm):
    notice_date = DateField("Dato for den skriftlige oppsigelsen", validators=[DataRequired(REQUIRED)])
    reason = TextAreaField("Begrunnelse (valgfritt)", validators=[Optional(), Length(max=4000)])
    review = SubmitField("Se over oppsigelsen")
    edit = SubmitField("Gå tilbake og endre")
    send = SubmitField("Send oppsigelsen")


class CheckForm(FlaskForm):
    document = FileField(_l("PDF-en som skal kontrolleres (høyst 10 MB)"), validators=[
        FileRequired(_l("Velg PDF-en som skal kontrolleres."))])
    submit = SubmitField(_l("Kontroller PDF-en"))
