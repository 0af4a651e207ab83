"""Forms for managing users, and the log's filter."""
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.forms import REQUIRED, CheckboxList, LongSelect, StoredSelect, choices
from app.sentences import KINDS, TOPICS, kinds_in
from workflows.roles import ROLE_LABELS


class UserForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(REQUIRED), Length(max=120)])
    title = StringField(_l("Stilling"), validators=[Optional(), Length(max=120)])
    phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=30)])
    organisation_id = SelectField(_l("Organisasjon"), coerce=int, widget=StoredSelect("user_form_organisation_select"))
    roles = CheckboxList(_l("Roller"), choices=choices(
        (role, _l(label)) for role, label in ROLE_LABELS.items()))
    active = BooleanField(_l("Kan logge inn"), default=True)
    submit = SubmitField(_l("Lagre endringene"))


class NewUserForm(UserForm):
    email = EmailField(_l("E-postadresse"), validators=[
        DataRequired(REQUIRED), Email(_l("Skriv en gyldig e-postadresse.")), Length(max=254)])
    submit = SubmitField(_l("Opprett bruker og send invitasjon"))


# Everything, then each topic: first as a whole, then kind by kind.
KIND_CHOICES = [SelectChoice("", _l("Alt"))] + [
    SelectChoice(value, text, optgroup=_l(label))
    for topic, label in TOPICS.items()
    for value, text in ((topic, _l("%(topic)s: alle", topic=_l(label))),
                        *((key, _l(KINDS[key].label)) for key in kinds_in(topic)))]


class KindSelect(LongSelect):
    """The list of kinds with its groups, written once for each choice, attributes and language: it is the same on
    every page of the log. A/B at 500 municipalities (in-process probe, 30.11.2026), written on each page instead:
    the log page +116 %."""

    def __init__(self):
        super().__init__()
        self._written = {}

    def __call__(self, field, **kwargs):
        if field.data not in KINDS and field.data not in TOPICS and field.data:
            return super().__call__(field, **kwargs)  # what someone typed into the address: not kept
        # The labels are in the reader's language.
        key = (str(get_locale()), field.data, tuple(sorted(kwargs.items())))
        if key not in self._written:
            self._written[key] = super().__call__(field, **kwargs)
        return self._written[key]


class LogFilterForm(FlaskForm):
    """The log's filter (GET): each field narrows what the others leave."""

    class Meta:
        csrf = False

    organisation = StringField(_l("Kommune eller organisasjon"), validators=[Optional(), Length(max=100)])
    person = StringField(_l("Person"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Hva"), choices=KIND_CHOICES, validate_choice=False, widget=KindSelect())

    def validate_kind(self, field):
        if field.data and field.data not in TOPICS and field.data not in KINDS:
            raise ValidationError(_("Velg noe fra listen."))
