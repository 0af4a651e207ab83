"""Forms of the contributions ledger: invoice, payment, cancellation."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED, DateField


class InvoiceForm(FlaskForm):
    invoiced_on = DateField(_l("Fakturadato"), validators=[DataRequired(REQUIRED)])
    invoice_ref = StringField(_l("Fakturanummer"), validators=[Optional(), Length(max=60)])
    submit = SubmitField(_l("Registrer faktura"))


class PaymentForm(FlaskForm):
    paid_on = DateField(_l("Betalt dato"), validators=[DataRequired(REQUIRED)])
    payment_ref = StringField(_l("Betalingsreferanse"), validators=[Optional(), Length(max=60)])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Begrunnelse"), validators=[DataRequired(REQUIRED), Length(max=2000)],
                           description=_l("Hvorfor året likevel ikke skal betales, for eksempel etter en "
                                       "kommunesammenslåing."))
