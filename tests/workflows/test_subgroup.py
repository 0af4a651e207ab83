"""The subgroup workflow matches the agreed rules."""

from types import SimpleNamespace

import pytest

from workflows import SUBGROUP, GuardFailed
from workflows.subgroup import (
    APPROVED,
    CLOSED,
    DRAFT,
    ESTABLISHED,
    REJECTED,
    RETURNED,
    SECONDED,
    SUBMITTED,
)

pytestmark = pytest.mark.filterwarnings("error")

P, A, CH = "project_member", "adviser", "chair"

# trigger: (sources, dest, roles, guards, comment_required)
EXPECTED = {
    "submit": ({DRAFT, RETURNED}, SUBMITTED, {P}, ("is_proposer",), False),
    "second": ({SUBMITTED}, SECONDED, {P}, ("not_proposer",), False),
    "approve": ({SECONDED}, APPROVED, {A}, ("not_proposer",), False),
    "reject": ({SUBMITTED, SECONDED}, REJECTED, {A}, ("not_proposer",), True),
    "return_for_changes": ({SUBMITTED, SECONDED}, RETURNED, {A}, ("not_proposer",), True),
    "establish": ({APPROVED}, ESTABLISHED, {A}, (), False),
    "close": ({ESTABLISHED}, CLOSED, {A, CH}, (), True),
}


@pytest.mark.parametrize("trigger", EXPECTED)
def test_spec_matches_the_rules(trigger):
    spec = SUBGROUP.spec(trigger)
    actual = (set(spec.sources), spec.dest, set(spec.roles), spec.conditions, spec.comment_required)
    assert actual == EXPECTED[trigger]
    assert not spec.needs_approval


def test_no_triggers_beyond_the_rules():
    assert [spec.trigger for spec in SUBGROUP.specs] == list(EXPECTED)


def test_labels():
    assert list(SUBGROUP.states.values()) == [
        "Utkast", "Sendt inn", "Støttet", "Sendt tilbake", "Godkjent", "Avslått", "Etablert", "Avsluttet",
    ]
    assert SUBGROUP.spec("second").label == "Støtt forslaget"
    assert SUBGROUP.spec("approve").label == "Registrer vedtak: godkjent"
    assert SUBGROUP.spec("return_for_changes").label == "Send tilbake for endringer"
    assert SUBGROUP.spec("establish").label == "Etabler undergruppen"
    assert SUBGROUP.spec("close").label == "Avslutt undergruppen"


def test_terminal_states():
    assert SUBGROUP.terminal_states == (REJECTED, CLOSED)


def by(user, proposer="kari"):
    """A guard context for `user` acting on a proposal by `proposer`."""
    return SimpleNamespace(is_proposer=user == proposer, not_proposer=user != proposer)


def test_a_proposal_returned_once_then_established_and_closed():
    steps = [
        ("submit", "kari", SUBMITTED),
        ("return_for_changes", "rådgiver", RETURNED),
        ("submit", "kari", SUBMITTED),
        ("second", "ola", SECONDED),
        ("approve", "rådgiver", APPROVED),
        ("establish", "rådgiver", ESTABLISHED),
        ("close", "ola", CLOSED),
    ]
    state = DRAFT
    for trigger, user, expected in steps:
        state = SUBGROUP.fire(trigger, state, by(user))
        assert state == expected


@pytest.mark.parametrize("trigger, state", [
    ("second", SUBMITTED), ("approve", SECONDED), ("reject", SUBMITTED), ("reject", SECONDED),
    ("return_for_changes", SUBMITTED), ("return_for_changes", SECONDED)])
def test_the_proposer_cannot_second_or_decide_their_own_proposal(trigger, state):
    with pytest.raises(GuardFailed) as info:
        SUBGROUP.fire(trigger, state, by("kari"))
    assert info.value.guards == ["not_proposer"]
    assert str(info.value) == "Du kan ikke støtte, godkjenne, avslå eller sende tilbake ditt eget forslag."


@pytest.mark.parametrize("state", [DRAFT, RETURNED])
def test_only_the_proposer_submits(state):
    with pytest.raises(GuardFailed) as info:
        SUBGROUP.fire("submit", state, by("ola"))
    assert info.value.guards == ["is_proposer"]
