"""The subgroup proposal, the decision steps and the member list."""
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app import clock
from app.forms import REQUIRED, CheckboxList, DateField, LongSelect, choices, names
from app.models import User
from app.models.meeting import PROJECT_MEETING
from app.models.subgroup import THEMES
from app.services import meeting_items, subgroups

MAX_REPRESENTATIVES = 10


def person_label(user: User) -> str:
    return f"{user.name} ({user.organisation.name})"


class RepresentativeForm(Form):
    """One user representative; a row left empty is ignored."""

    name = StringField(_l("Navn"), validators=[Length(max=120)])
    represents = StringField(_l("Representerer"), validators=[Length(max=200)])
    contact = StringField(_l("Kontakt (e-post eller telefon)"), validators=[Length(max=200)])

    @property
    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.name, self.represents, self.contact))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank:
            return valid
        for f in (self.name, self.represents, self.contact):
            if not (f.data or "").strip():
                f.errors.append(REQUIRED)
                valid = False
        return valid


class ProposalForm(FlaskForm):
    """The proposal for a subgroup. "Søk" and "Legg til en rad" only redraw the form; they save nothing."""

    name = StringField(_l("Navn på undergruppen"), validators=[DataRequired(REQUIRED), Length(max=200)])
    themes = CheckboxList(_l("Tema (samarbeidsområder i avtalen § 6)"), choices=choices(THEMES.items()),
                          validators=[DataRequired(_l("Velg minst ett tema."))])
    mandate = TextAreaField(_l("Mandat: hva skal gruppen levere?"),
                            validators=[DataRequired(REQUIRED), Length(max=4000)])
    duration = StringField(_l("Forventet varighet"), validators=[Length(max=100)])
    end_date = DateField(_l("Sluttdato"), validators=[Optional()])
    chair_id = SelectField(_l("Foreslått leder"), coerce=int, validators=[DataRequired(_l("Velg en leder."))],
                           invalid_choice_message=_l("Ukjent person. Velg en leder fra listen."), widget=LongSelect())
    member_query = StringField(_l("Søk etter personer (navn eller organisasjon)"), validators=[Length(max=100)])
    search = SubmitField(_l("Søk"))
    member_ids = CheckboxList(_l("Foreslåtte medlemmer"), coerce=int, invalid_choice_message=(
        _l("Fant ikke alle de foreslåtte medlemmene (%(value)s). Søk dem opp på nytt.")))
    representatives = FieldList(FormField(RepresentativeForm), _l("Brukerrepresentant"), min_entries=1,
                                max_entries=MAX_REPRESENTATIVES)
    add_representative = SubmitField(_l("Legg til en brukerrepresentant til"))
    assessment = TextAreaField(_l("Vurdering: hvorfor er ikke brukerrepresentanter med?"),
                               validators=[Length(max=4000)])
    save = SubmitField(_l("Lagre utkast"))
    submit = SubmitField(_l("Lagre og send inn"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_member_choices()

    def load_member_choices(self, found: dict[int, tuple[str, str]] | None = None) -> None:
        """The checkbox list: the people already chosen, then those matching the search. The chair is chosen among
        them (or stays who was chosen): a list of everyone (over a thousand at 500 municipalities) was most of the
        page. `found`: the chosen people and the chair as (name, label) by id, if read already (saved_people)."""
        chosen = set(self.member_ids.data or [])
        if found is None:
            found = _labelled(subgroups.people_by_id([*chosen, self.chair_id.data or 0]).values())
        query = (self.member_query.data or "").strip()
        matches = _labelled(subgroups.search_people(query, excluding=chosen & found.keys())) if query else {}
        people = sorted(((i, name_label) for i, name_label in found.items() if i in chosen),
                        key=lambda person: person[1][0]) + list(matches.items())
        self.member_ids.choices = names([(i, label) for i, (_name, label) in people])
        chair = self.chair_id.data
        if chair in found and all(i != chair for i, _found in people):
            people = [(chair, found[chair]), *people]
        self.chair_id.choices = choices([(0, _("— Velg leder —"))]) + names(
            [(i, label) for i, (_name, label) in people])
        self.search_matches = len(matches) if query else None

    @property
    def redraw_only(self) -> bool:
        """The person pressed "Søk" or "Legg til en rad": show the form again, save nothing."""
        return bool(self.search.data or self.add_representative.data)

    def validate_duration(self, field) -> None:
        if not (field.data or "").strip() and not (self.end_date.raw_data and self.end_date.raw_data[0]):
            raise ValidationError(_("Oppgi forventet varighet eller en sluttdato."))

    def validate_end_date(self, field) -> None:
        if field.data and field.data <= clock.today():
            raise ValidationError(_("Sluttdatoen må være etter i dag."))

    def validate_assessment(self, field) -> None:
        error = subgroups.representation_error(self.representative_rows(), field.data)
        if error:
            raise ValidationError(error)

    def representative_rows(self) -> list[subgroups.UserRepresentativeEntry]:
        return [subgroups.UserRepresentativeEntry(row.form.name.data or "", row.form.represents.data or "",
                                         row.form.contact.data or "")
                for row in self.representatives if not row.form.is_blank]

    def to_proposal(self) -> subgroups.Proposal:
        return subgroups.Proposal(
            name=self.name.data, themes=self.themes.data, mandate=self.mandate.data, chair_id=self.chair_id.data,
            member_ids=self.member_ids.data or [], duration=self.duration.data, end_date=self.end_date.data,
            representatives=self.representative_rows(), assessment=self.assessment.data)

    def fill_from(self, subgroup, saved: dict) -> None:
        """Show a saved proposal for editing; `saved`: what saved_people read for it."""
        self.name.data, self.mandate.data = subgroup.name, subgroup.mandate
        self.themes.data = subgroup.themes
        self.duration.data, self.end_date.data = subgroup.duration, subgroup.end_date
        self.chair_id.data = subgroup.chair_id
        self.member_ids.data = [i for i, _name, _label, member in saved["people"] if member]
        self.assessment.data = subgroup.representation_assessment
        while self.representatives.entries:
            self.representatives.pop_entry()
        for rep in saved["representatives"] or [None]:
            self.representatives.append_entry(rep)
        self.load_member_choices({i: (name, label) for i, name, label, _member in saved["people"]})


def saved_people(subgroup) -> dict:
    """The proposal's members and chair (id, name, label, whether a member) and its user representatives, as plain
    data: the same for everyone who may edit it, so the form page can store it (views.stored)."""
    found, member_ids = subgroups.proposed_people(subgroup)
    return {"people": [[u.id, u.name, person_label(u), u.id in member_ids] for u in found.values()],
            "representatives": [{"name": rep.name, "represents": rep.represents, "contact": rep.contact}
                                for rep in subgroup.representatives]}


def _labelled(users) -> dict[int, tuple[str, str]]:
    return {u.id: (u.name, person_label(u)) for u in users}


class ActionForm(FlaskForm):
    """A step in the workflow: a decision has its date, and some steps need their comment (labels set by the view)."""

    decided_on = DateField(_l("Dato for vedtaket i prosjektgruppen"), validators=[Optional()],
                           description=_l("Datoen prosjektgruppen fattet vedtaket."))
    meeting_item_id = SelectField(_l("Sak i prosjektgruppen"), coerce=int, default=0,
                                  description=_l("Saken på prosjektgruppens saksliste, hvis møtet er registrert "
                                                 "under Møter."))
    comment = TextAreaField(_l("Kommentar"), validators=[Length(max=4000)])

    def __init__(self, *args, decision: bool = False, comment_needed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.comment.flags.required = comment_needed
        if decision:
            self.meeting_item_id.choices = choices([(0, _("Saken er ikke registrert her"))]) + names(
                meeting_items.choices(PROJECT_MEETING))
        else:
            del self.decided_on
            del self.meeting_item_id

    def validate_decided_on(self, field) -> None:
        if field.data and field.data > clock.today():
            raise ValidationError(_("Datoen for vedtaket kan ikke være etter i dag."))

    def validate(self, extra_validators=None) -> bool:
        """The facts the step records must be there: the decision date, and the comment where it matters."""
        valid = super().validate(extra_validators)
        if self.decided_on is not None and self.decided_on.data is None and not self.decided_on.errors:
            self.decided_on.errors.append(_("Skriv datoen for vedtaket."))
            valid = False
        if self.comment.flags.required and not (self.comment.data or "").strip():
            self.comment.errors.append(REQUIRED)
            valid = False
        return valid


class AddMemberForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=int, invalid_choice_message=_l("Ukjent person. Søk på nytt."),
                          widget=LongSelect())
    joined_on = DateField(_l("Medlem fra"), validators=[DataRequired(_l("Skriv en gyldig dato."))])
    submit = SubmitField(_l("Legg til medlem"))


class RemoveMemberForm(FlaskForm):
    left_on = DateField(_l("Medlem til og med"), validators=[DataRequired(_l("Skriv en gyldig dato."))])


class MemberSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Søk etter personer (navn eller organisasjon)"), validators=[Length(max=100)])
