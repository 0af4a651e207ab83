"""The adviser's forms for news items."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import ConfirmForm


class NewsForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(_l("Skriv en tittel.")), Length(max=200)])
    body = TextAreaField(_l("Tekst"), validators=[DataRequired(_l("Skriv selve nyheten.")), Length(max=20000)],
                         description=_l("Ren tekst. En tom linje skiller avsnitt."))


class NewsStepForm(ConfirmForm):
    """Publishing or taking down a news item: a comment may go with it into the log."""

    comment = TextAreaField(_l("Kommentar (valgfri)"), validators=[Optional(), Length(max=4000)])
