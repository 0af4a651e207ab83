"""Approving and rejecting requests."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import DateField, choices
from app.models.mailbox_link import ADVISER_DECISION, DECIDERS


class DecisionForm(FlaskForm):
    comment = TextAreaField("Kommentar (påkrevd ved avvisning)", validators=[Optional(), Length(max=4000)])
    approve = SubmitField("Godkjenn")
    reject = SubmitField("Avvis")


class JoinDecisionForm(FlaskForm):
    """The decision on a municipality's request to join: the adviser's own, or the steering group's with its date."""

    decision = RadioField("Avgjørelse", choices=choices([("accept", "Tas opp som medlem"), ("decline", "Avslås")]),
                          validators=[InputRequired("Velg avgjørelsen.")])
    decided_by = RadioField("Avgjort av", choices=choices(DECIDERS.items()), default=ADVISER_DECISION,
                            validators=[InputRequired("Velg hvem som avgjorde.")])
    decided_on = DateField("Vedtaksdato (styringsgruppens møte)", validators=[Optional()])
    comment = TextAreaField("Begrunnelse (påkrevd ved avslag)", validators=[Optional(), Length(max=4000)])
