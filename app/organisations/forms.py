"""Forms of the organisation register: a new organisation, a change of name or number from a date, the details."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import REQUIRED, CheckboxList, DateField, LongSelect, choices, names
from app.models.organisation import KIND_LABELS, REGIONS, WRITTEN_STANDARDS

MAILBOX = _l("Skriv en gyldig e-postadresse, for eksempel postmottak@alver.kommune.no.")


def _region_choices():
    return choices([("", _l("Ingen"))]) + names((region, region) for region in REGIONS)


class NewOrganisationForm(FlaskForm):
    official_name = StringField(_l("Offisielt navn"), validators=[DataRequired(REQUIRED), Length(max=200)])
    name = StringField(_l("Navn i lister"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Type"), choices=choices(KIND_LABELS.items()))
    number = StringField(_l("Kommunenummer"), validators=[Optional(), Length(max=10)])
    org_number = StringField(_l("Organisasjonsnummer"), validators=[Optional(), Length(max=20)])
    written_standard = SelectField(_l("Målform"), choices=choices(WRITTEN_STANDARDS.items()))
    mailbox = EmailField(_l("Offisiell e-postadresse (postmottak)"), validators=[
        Optional(), Email(MAILBOX), Length(max=254)])
    region = SelectField(_l("Region"), choices=_region_choices())
    active_from = DateField(_l("Første dag"), validators=[Optional()])


class ChangeForm(FlaskForm):
    valid_from = DateField(_l("Gjelder fra"), validators=[DataRequired(_l("Skriv datoen endringen gjelder fra."))])
    official_name = StringField(_l("Nytt offisielt navn"), validators=[Optional(), Length(max=200)])
    name = StringField(_l("Nytt navn i lister"), validators=[Optional(), Length(max=200)])
    number = StringField(_l("Nytt kommunenummer"), validators=[Optional(), Length(max=10)])
    org_number = StringField(_l("Nytt organisasjonsnummer"), validators=[Optional(), Length(max=20)])


class DetailsForm(FlaskForm):
    kind = SelectField(_l("Type"), choices=choices(KIND_LABELS.items()))
    written_standard = SelectField(_l("Målform"), choices=choices(WRITTEN_STANDARDS.items()))
    mailbox = EmailField(_l("Offisiell e-postadresse (postmottak)"), validators=[
        Optional(), Email(MAILBOX), Length(max=254)])
    region = SelectField(_l("Region"), choices=_region_choices())
    active_from = DateField(_l("Første dag"), validators=[Optional()])
    active_to = DateField(_l("Siste dag"), validators=[Optional()])


class MergerForm(FlaskForm):
    """Organisations that become one from a day: the successor chosen or made here, and the membership it
    continues (the choices are filled from the register and the memberships in force)."""

    q = StringField(_l("Søk etter organisasjon"), validators=[Optional(), Length(max=100)])
    predecessor_ids = CheckboxList(_l("Slås sammen"), coerce=int,
                                   validators=[DataRequired(_l("Velg minst én organisasjon som slås sammen."))],
                                   invalid_choice_message=_l("Velg organisasjoner fra listen."))
    first_day = DateField(_l("Gjelder fra"), validators=[DataRequired(_l("Skriv datoen sammenslåingen gjelder fra."))])
    successor_id = SelectField(_l("Etterfølger"), coerce=int,
                               invalid_choice_message=_l("Velg en organisasjon fra listen."),
                               widget=LongSelect())
    official_name = StringField(_l("Offisielt navn på den nye"), validators=[Optional(), Length(max=200)])
    number = StringField(_l("Kommunenummer til den nye"), validators=[Optional(), Length(max=10)])
    org_number = StringField(_l("Organisasjonsnummer til den nye"), validators=[Optional(), Length(max=20)])
    continued_case_id = SelectField(_l("Avtalen som videreføres"), coerce=int,
                                    invalid_choice_message=_l("Velg en avtale fra listen."), widget=LongSelect())
    meeting_item_id = SelectField(_l("Vedtatt i sak i styringsgruppen"), coerce=int, default=0,
                                  invalid_choice_message=_l("Velg en sak fra listen."))
