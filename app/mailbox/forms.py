"""The public forms: the answer to an invitation given through the link sent to a municipality's official
mailbox, and a municipality's request to join."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from app.forms import REQUIRED, LongSelect
from app.municipality.forms import ReplyForm


class MailboxReplyForm(ReplyForm):
    """The reply form; the one who answers says who they are, as the adviser may make them the contact person."""

    contact_title = StringField(_l("Stilling"), validators=[DataRequired(REQUIRED), Length(max=120)])


class JoinForm(FlaskForm):
    """A municipality asks to join (agreement §1); the request is confirmed from its official mailbox."""

    organisation_id = SelectField(_l("Kommune"), coerce=int, validators=[InputRequired(_l("Velg kommunen."))],
                                  widget=LongSelect())
    name = StringField(_l("Navn"), validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField(_l("Stilling"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-postadresse"), validators=[
        DataRequired(REQUIRED), Email(_l("Skriv en gyldig e-postadresse.")), Length(max=254)])
