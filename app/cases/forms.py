"""Forms on the case page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from app.forms import DateField


class ActionForm(FlaskForm):
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=4000)])


class AsOfForm(FlaskForm):
    """A filter on the history: without a date the page shows today (so the field is not marked as required)."""

    class Meta:
        csrf = False

    as_of = DateField(_l("Vis status per dato"), validators=[Optional()])
