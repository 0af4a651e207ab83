"""The proposal form on its own: what it accepts, and the message it puts on the field when it refuses."""
import pytest
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.services import subgroups
from app.subgroups.forms import ProposalForm
from tests import factories
from tests.factories import ASSESSMENT


@pytest.fixture
def chair(orgs):
    person = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    db.session.commit()
    return person


def form_with(app, chair, **changes):
    """The form filled in as a browser would post it, with `changes` applied (None removes a field)."""
    data = {
        "name": "Velferdsteknologi i hjemmetjenesten",
        "themes": ["welfare_technology"],
        "mandate": "Kartlegge erfaringer og foreslå felles opplæring.",
        "duration": "12 måneder",
        "chair_id": str(chair.id),
        "representatives-0-name": "Randi Helland",
        "representatives-0-represents": "Eldrerådet i Bergen",
        "representatives-0-contact": "eldreradet@bergen.kommune.no",
    }
    data.update(changes)
    formdata = MultiDict()
    for key, value in data.items():
        for item in (value if isinstance(value, list) else [value]):
            if item is not None:
                formdata.add(key, item)
    with app.test_request_context(method="POST", data=formdata):
        form = ProposalForm(meta={"csrf": False})
        form.validate()
        return form


NO_REPRESENTATIVE = {"representatives-0-name": None, "representatives-0-represents": None,
                     "representatives-0-contact": None}


def test_a_complete_proposal_is_valid(app, chair, orgs):
    siri = factories.user(organisation=orgs["Voss"], name="Siri Lie")
    db.session.commit()
    form = form_with(app, chair, member_ids=[str(siri.id)], **{"save": "Lagre utkast"})
    assert form.errors == {}
    proposal = form.to_proposal()
    assert proposal.member_ids == [siri.id] and proposal.chair_id == chair.id
    assert proposal.representatives == [subgroups.UserRepresentativeEntry(
        "Randi Helland", "Eldrerådet i Bergen", "eldreradet@bergen.kommune.no")]


def test_no_representative_and_no_assessment_is_an_error_on_the_assessment(app, chair):
    form = form_with(app, chair, **NO_REPRESENTATIVE)
    assert form.errors == {"assessment": [subgroups.NO_REPRESENTATION]}


@pytest.mark.parametrize("assessment", [
    "Ingen passer inn her.",
    "Brukerrepresentanter er ikke med fordi gruppen bare skal se på tekniske løsninger i kommunens fagsystemer",
    "Kort. Kort.",
])
def test_an_assessment_that_is_too_short_or_one_sentence_is_an_error(app, chair, assessment):
    form = form_with(app, chair, assessment=assessment, **NO_REPRESENTATIVE)
    assert form.errors == {"assessment": [subgroups.SHORT_ASSESSMENT]}


def test_a_proper_assessment_replaces_the_representatives(app, chair):
    form = form_with(app, chair, assessment=ASSESSMENT, **NO_REPRESENTATIVE)
    assert form.errors == {}
    assert form.to_proposal().representatives == []


def test_an_unknown_member_is_an_error_on_the_member_list(app, chair):
    form = form_with(app, chair, member_ids=["99999"])
    assert list(form.errors) == ["member_ids"]
    assert "Fant ikke alle de foreslåtte medlemmene (99999)" in form.errors["member_ids"][0]


def test_a_half_filled_representative_needs_the_rest(app, chair):
    form = form_with(app, chair, **{"representatives-0-contact": ""})
    assert form.errors == {"representatives": [{"contact": ["Feltet må fylles ut."]}]}


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "Feltet må fylles ut."),
    ({"themes": None}, "themes", "Velg minst ett tema."),
    ({"duration": ""}, "duration", "Oppgi forventet varighet eller en sluttdato."),
    ({"end_date": "2026-11-23"}, "end_date", "Sluttdatoen må være etter i dag."),
    ({"chair_id": "0"}, "chair_id", "Velg en leder."),
    ({"chair_id": "99999"}, "chair_id", "Ukjent person. Velg en leder fra listen."),
])
def test_required_facts(app, chair, changes, field, message):
    form = form_with(app, chair, **changes)
    assert form.errors == {field: [message]}


def test_an_end_date_can_stand_in_for_the_duration(app, chair):
    assert form_with(app, chair, duration="", end_date="2027-12-31").errors == {}


def test_searching_shows_matches_after_the_people_already_chosen(app, chair, orgs):
    siri = factories.user(organisation=orgs["Voss"], name="Siri Lie")
    factories.user(organisation=orgs["Voss"], name="Sigurd Voss")
    factories.user(organisation=orgs["Askøy"], name="Tone Myklebust")
    db.session.commit()
    form = form_with(app, chair, member_ids=[str(siri.id)], member_query="voss", search="Søk")
    assert form.redraw_only
    assert [c.label for c in form.member_ids.choices] == ["Siri Lie (Voss)", "Sigurd Voss (Voss)"]
    assert form.member_ids.data == [siri.id]
