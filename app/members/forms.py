"""Forms of the membership area."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.forms import REQUIRED, DateField, IntegerField, choices
from app.models.members import GROUPS

EMAIL = [DataRequired(REQUIRED), Email("Skriv en gyldig e-postadresse."), Length(max=254)]


class PersonForm(FlaskForm):
    name = StringField("Navn", validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField("Stilling", validators=[Optional(), Length(max=120)])
    email = EmailField("E-postadresse", validators=EMAIL)
    phone = StringField("Telefon", validators=[Optional(), Length(max=30)])


class RepresentativeForm(PersonForm):
    group = SelectField("Gruppe", choices=choices(GROUPS.items()))
    user_id = SelectField("Bruker i intranettet", coerce=int, validators=[Optional()])
    starts_on = DateField("Første dag i perioden", validators=[DataRequired(REQUIRED)])
    ends_on = DateField("Siste dag i perioden", validators=[Optional()])
    submit = SubmitField("Send forslaget")


class ContactForm(PersonForm):
    submit = SubmitField("Lagre kontaktpersonen")


class RepresentativeDecisionForm(FlaskForm):
    comment = TextAreaField("Kommentar (påkrevd ved avvisning)", validators=[Optional(), Length(max=4000)])
    approve = SubmitField("Godkjenn")
    reject = SubmitField("Avvis")


class InvoiceForm(FlaskForm):
    invoiced_on = DateField("Fakturadato", validators=[DataRequired(REQUIRED)])
    invoice_ref = StringField("Fakturanummer", validators=[Optional(), Length(max=60)])
    submit = SubmitField("Registrer faktura")


class PaymentForm(FlaskForm):
    paid_on = DateField("Betalt dato", validators=[DataRequired(REQUIRED)])
    payment_ref = StringField("Betalingsreferanse", validators=[Optional(), Length(max=60)])
    submit = SubmitField("Registrer betaling")


class CancelForm(FlaskForm):
    reason = TextAreaField("Begrunnelse", validators=[DataRequired(REQUIRED), Length(max=2000)])
    submit = SubmitField("Annuller bidraget")


class NewEvaluationForm(FlaskForm):
    year = IntegerField("År", validators=[DataRequired(REQUIRED), NumberRange(2016, 2100, "Skriv et gyldig år.")])
    questions = TextAreaField("Spørsmål (ett per linje)", validators=[DataRequired(REQUIRED), Length(max=4000)])
    submit = SubmitField("Opprett vurderingen")


def answer_form(evaluation, response=None, **kwargs) -> FlaskForm:
    """A form with one required text field per question of the year, prefilled with earlier answers."""

    class AnswerForm(FlaskForm):
        submit = SubmitField("Send svaret")

    for question in evaluation.questions:
        setattr(AnswerForm, f"q{question.id}", TextAreaField(
            f"{question.position}. {question.text}", validators=[DataRequired(REQUIRED), Length(max=4000)],
            default=response.answer_to(question) if response else None))
    return AnswerForm(**kwargs)
