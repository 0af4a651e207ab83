"""Forms of the contributions ledger: invoice, payment, cancellation."""
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED, DateField


class InvoiceForm(FlaskForm):
    invoiced_on = DateField("Fakturadato", validators=[DataRequired(REQUIRED)])
    invoice_ref = StringField("Fakturanummer", validators=[Optional(), Length(max=60)])
    submit = SubmitField("Registrer faktura")


class PaymentForm(FlaskForm):
    paid_on = DateField("Betalt dato", validators=[DataRequired(REQUIRED)])
    payment_ref = StringField("Betalingsreferanse", validators=[Optional(), Length(max=60)])


class CancelForm(FlaskForm):
    reason = TextAreaField("Begrunnelse", validators=[DataRequired(REQUIRED), Length(max=2000)],
                           description="Hvorfor året likevel ikke skal betales, for eksempel etter en "
                                       "kommunesammenslåing.")
