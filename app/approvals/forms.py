"""Approving and rejecting requests."""
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import DateField, choices
from app.models.mailbox_link import ADVISER_DECISION, DECIDERS


class ApproveForm(FlaskForm):
    comment = TextAreaField("Kommentar", validators=[Optional(), Length(max=4000)],
                            description="Valgfritt. Den som sendte forespørselen, ser kommentaren.")


class RejectForm(FlaskForm):
    comment = TextAreaField("Begrunnelse", validators=[DataRequired("Skriv hvorfor forespørselen avvises."),
                                                       Length(max=4000)],
                            description="Den som sendte forespørselen, får se begrunnelsen.")


class JoinDecisionForm(FlaskForm):
    """The decision on a municipality's request to join: the adviser's own, or the steering group's with its date."""

    decision = RadioField("Avgjørelse", choices=choices([("accept", "Tas opp som medlem"), ("decline", "Avslås")]),
                          validators=[InputRequired("Velg avgjørelsen.")])
    decided_by = RadioField("Avgjort av", choices=choices(DECIDERS.items()), default=ADVISER_DECISION,
                            validators=[InputRequired("Velg hvem som avgjorde.")])
    decided_on = DateField("Vedtaksdato (styringsgruppens møte)", validators=[Optional()],
                           description="Når styringsgruppen har vedtatt det: møtedatoen. Ellers i dag.")
    comment = TextAreaField("Begrunnelse (påkrevd ved avslag)", validators=[Optional(), Length(max=4000)])
