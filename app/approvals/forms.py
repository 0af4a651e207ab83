"""Approving and rejecting requests."""
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class DecisionForm(FlaskForm):
    comment = TextAreaField("Kommentar (påkrevd ved avvisning)", validators=[Optional(), Length(max=4000)])
    approve = SubmitField("Godkjenn")
    reject = SubmitField("Avvis")
