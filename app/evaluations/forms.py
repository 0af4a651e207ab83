"""Forms of the annual evaluation: the year's questions, and a municipality's answers."""
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from app.forms import REQUIRED, IntegerField


class NewEvaluationForm(FlaskForm):
    year = IntegerField(_l("År"), validators=[DataRequired(REQUIRED), NumberRange(2016, 2100, _l("Skriv et gyldig år."))])
    questions = TextAreaField(_l("Spørsmål (ett per linje)"), validators=[DataRequired(REQUIRED), Length(max=4000)])
    submit = SubmitField(_l("Opprett vurderingen"))


def answer_form(evaluation, response=None, **kwargs) -> FlaskForm:
    """A form with one required text field per question of the year, prefilled with earlier answers."""

    class AnswerForm(FlaskForm):
        submit = SubmitField(_("Send svaret"))

    for question in evaluation.questions:
        setattr(AnswerForm, f"q{question.id}", TextAreaField(
            Markup('{}. <span translate="no">{}</span>').format(question.position, question.text),
            validators=[DataRequired(REQUIRED), Length(max=4000)], render_kw={"translate": "no"},
            default=response.answer_to(question) if response else None))
    return AnswerForm(**kwargs)
