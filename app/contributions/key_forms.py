"""Forms of the cost-sharing key: the draft (one field per larger party), a step, the steering group's decision."""
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app import clock
from app.forms import INVALID_NUMBER, REQUIRED, DateField, IntegerField, LongSelect, choices, names
from workflows.key_shares import METHODS, PERCENT, parse_amount, parse_percent

YEARS = NumberRange(2000, 2100, _l("Skriv et år mellom 2000 og 2100."))


def key_form(parties: list[tuple[int, str]], **kwargs) -> FlaskForm:
    """The draft: period, budget, how the rest is shared, and one share field per larger party (id, name)."""

    class KeyForm(FlaskForm):
        first_year = IntegerField(_("Første år"), validators=[DataRequired(REQUIRED), YEARS])
        last_year = IntegerField(_("Siste år"), validators=[DataRequired(REQUIRED), YEARS])
        budget = IntegerField(_("Årlig budsjett for FoU-ressursen (kr)"), validators=[
            DataRequired(REQUIRED), NumberRange(1, 1_000_000_000, INVALID_NUMBER)])
        method = SelectField(_("Resten fordeles som"), default=PERCENT,
                             choices=choices((method, _(label)) for method, label in METHODS.items()))
        remainder_to_id = SelectField(_("Resten etter avrunding går til"), coerce=int,
                                      choices=names(parties), widget=LongSelect())
        note = TextAreaField(_("Merknad (f.eks. utvidelse av ressursen)"), validators=[Optional(), Length(max=2000)])
        submit = SubmitField(_("Lagre utkastet"))

        def share_fields(self):
            return [(party_id, self[f"share_{party_id}"]) for party_id, _name in parties]

        def values(self) -> dict[int, int] | None:
            """Each party's share as the key keeps it, or None after putting an error on each field that is wrong."""
            parse = parse_percent if self.method.data == PERCENT else parse_amount
            found, good = {}, True
            for party_id, field in self.share_fields():
                if (field.data or "").strip():
                    try:
                        found[party_id] = parse(field.data)
                    except ValueError as error:
                        field.errors = [*field.errors, str(error)]
                        good = False
            return found if good else None

    for party_id, name in parties:
        setattr(KeyForm, f"share_{party_id}", StringField(name, validators=[Optional(), Length(max=20)]))
    return KeyForm(**kwargs)


class StepForm(FlaskForm):
    """A step of the key's workflow (submit, return for changes)."""

    comment = TextAreaField(_l("Kommentar"), validators=[Length(max=4000)])


class DecisionForm(FlaskForm):
    """The steering group's decision on a key."""

    decided_on = DateField(_l("Dato for vedtaket"), validators=[DataRequired(REQUIRED)])
    meeting_item_id = SelectField(_l("Sak i styringsgruppen"), coerce=int, default=0)
    meeting_id = SelectField(_l("Styringsgruppemøte"), coerce=int)
    agenda_item = StringField(_l("Sak på sakslisten"), validators=[Optional(), Length(max=200)])
    comment = TextAreaField(_l("Vedtak"), validators=[DataRequired(REQUIRED), Length(max=4000)])
    submit = SubmitField(_l("Registrer vedtaket"))

    def validate_decided_on(self, field) -> None:
        if field.data and field.data > clock.today():
            raise ValidationError(_("Vedtaket kan ikke være fattet etter i dag."))
