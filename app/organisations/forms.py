"""Forms of the organisation register: a new organisation, a change of name or number from a date, the details."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import REQUIRED, CheckboxList, DateField, LongSelect, choices
from app.models.organisation import KIND_LABELS, REGIONS, WRITTEN_STANDARDS

MAILBOX = "Skriv en gyldig e-postadresse, for eksempel postmottak@alver.kommune.no."


def _region_choices():
    return choices([("", "Ingen")] + [(region, region) for region in REGIONS])


class NewOrganisationForm(FlaskForm):
    official_name = StringField("Offisielt navn", validators=[DataRequired(REQUIRED), Length(max=200)])
    name = StringField("Navn i lister", validators=[Optional(), Length(max=200)])
    kind = SelectField("Type", choices=choices(KIND_LABELS.items()))
    number = StringField("Kommunenummer", validators=[Optional(), Length(max=10)])
    org_number = StringField("Organisasjonsnummer", validators=[Optional(), Length(max=20)])
    written_standard = SelectField("Målform", choices=choices(WRITTEN_STANDARDS.items()))
    mailbox = EmailField("Offisiell e-postadresse (postmottak)", validators=[
        Optional(), Email(MAILBOX), Length(max=254)])
    region = SelectField("Region", choices=_region_choices())
    active_from = DateField("Første dag", validators=[Optional()])


class ChangeForm(FlaskForm):
    valid_from = DateField("Gjelder fra", validators=[DataRequired("Skriv datoen endringen gjelder fra.")])
    official_name = StringField("Nytt offisielt navn", validators=[Optional(), Length(max=200)])
    name = StringField("Nytt navn i lister", validators=[Optional(), Length(max=200)])
    number = StringField("Nytt kommunenummer", validators=[Optional(), Length(max=10)])
    org_number = StringField("Nytt organisasjonsnummer", validators=[Optional(), Length(max=20)])


class DetailsForm(FlaskForm):
    kind = SelectField("Type", choices=choices(KIND_LABELS.items()))
    written_standard = SelectField("Målform", choices=choices(WRITTEN_STANDARDS.items()))
    mailbox = EmailField("Offisiell e-postadresse (postmottak)", validators=[
        Optional(), Email(MAILBOX), Length(max=254)])
    region = SelectField("Region", choices=_region_choices())
    active_from = DateField("Første dag", validators=[Optional()])
    active_to = DateField("Siste dag", validators=[Optional()])


class MergerForm(FlaskForm):
    """Organisations that become one from a day: the successor chosen or made here, and the membership it
    continues (the choices are filled from the register and the memberships in force)."""

    q = StringField(_l("Søk etter organisasjon"), validators=[Optional(), Length(max=100)])
    predecessor_ids = CheckboxList("Slås sammen", coerce=int, validators=[DataRequired(
        "Velg minst én organisasjon som slås sammen.")], invalid_choice_message="Velg organisasjoner fra listen.")
    first_day = DateField("Gjelder fra", validators=[DataRequired("Skriv datoen sammenslåingen gjelder fra.")])
    successor_id = SelectField("Etterfølger", coerce=int, invalid_choice_message="Velg en organisasjon fra listen.",
                               widget=LongSelect())
    official_name = StringField("Offisielt navn på den nye", validators=[Optional(), Length(max=200)])
    number = StringField("Kommunenummer til den nye", validators=[Optional(), Length(max=10)])
    org_number = StringField("Organisasjonsnummer til den nye", validators=[Optional(), Length(max=20)])
    continued_case_id = SelectField("Avtalen som videreføres", coerce=int,
                                    invalid_choice_message="Velg en avtale fra listen.", widget=LongSelect())
