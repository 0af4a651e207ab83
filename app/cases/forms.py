"""Forms on the case page."""
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED, DateField


class ActionForm(FlaskForm):
    comment = TextAreaField("Kommentar", validators=[Optional(), Length(max=4000)])


class AsOfForm(FlaskForm):
    class Meta:
        csrf = False

    as_of = DateField("Vis status per dato", validators=[DataRequired(REQUIRED)])
