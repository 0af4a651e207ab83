"""Approving and rejecting requests."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import DateField, choices
from app.models.mailbox_link import ADVISER_DECISION, DECIDERS


class ApproveForm(FlaskForm):
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=4000)],
                            description=_l("Valgfritt. Den som sendte forespørselen, ser kommentaren."))


class RejectForm(FlaskForm):
    comment = TextAreaField(_l("Begrunnelse"), validators=[DataRequired(_l("Skriv hvorfor forespørselen avvises.")),
                                                           Length(max=4000)],
                            description=_l("Den som sendte forespørselen, får se begrunnelsen."))


class JoinDecisionForm(FlaskForm):
    """The decision on a municipality's request to join: the adviser's own, or the steering group's with its date."""

    decision = RadioField(_l("Avgjørelse"),
                          choices=choices([("accept", _l("Tas opp som medlem")), ("decline", _l("Avslås"))]),
                          validators=[InputRequired(_l("Velg avgjørelsen."))])
    decided_by = RadioField(_l("Avgjort av"), choices=choices(DECIDERS.items()), default=ADVISER_DECISION,
                            validators=[InputRequired(_l("Velg hvem som avgjorde."))])
    decided_on = DateField(_l("Vedtaksdato (styringsgruppens møte)"), validators=[Optional()],
                           description=_l("Når styringsgruppen har vedtatt det: møtedatoen. Ellers i dag."))
    comment = TextAreaField(_l("Begrunnelse (påkrevd ved avslag)"), validators=[Optional(), Length(max=4000)])
