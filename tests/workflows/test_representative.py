"""The representative workflow matches the agreement's rules (§8) and the way the app applies them."""

from types import SimpleNamespace

import pytest

from workflows import REPRESENTATIVE, WORKFLOWS, GuardFailed, IllegalTransition
from workflows.representative import APPROVED, HOLDING, LAPSED, PROPOSED, REJECTED, WITHDRAWN

pytestmark = pytest.mark.filterwarnings("error")

A, P, SYS = "adviser", "proposer", "system"

# trigger: (sources, dest, roles, guards, comment_required, automatic)
EXPECTED = {
    "register": ({PROPOSED}, APPROVED, {A}, ("is_proposer",), False, True),
    "approve": ({PROPOSED}, APPROVED, {A}, ("not_proposer",), False, False),
    "reject": ({PROPOSED}, REJECTED, {A}, (), True, False),
    "withdraw": ({PROPOSED}, WITHDRAWN, {P}, (), False, False),
    "lapse": ({PROPOSED, APPROVED}, LAPSED, {SYS}, (), False, True),
}


@pytest.mark.parametrize("trigger", EXPECTED)
def test_spec_matches_the_rules(trigger):
    spec = REPRESENTATIVE.spec(trigger)
    actual = (set(spec.sources), spec.dest, set(spec.roles), spec.conditions, spec.comment_required, spec.automatic)
    assert actual == EXPECTED[trigger]
    assert not spec.needs_approval


def test_no_triggers_beyond_the_rules():
    assert [spec.trigger for spec in REPRESENTATIVE.specs] == list(EXPECTED)


def test_registered_for_the_diagram_command():
    assert WORKFLOWS["representative"] is REPRESENTATIVE


def test_labels_and_states():
    assert REPRESENTATIVE.initial == PROPOSED
    assert dict(REPRESENTATIVE.states) == {PROPOSED: "Venter på godkjenning", APPROVED: "Godkjent",
                                           REJECTED: "Avvist", WITHDRAWN: "Trukket", LAPSED: "Bortfalt"}
    assert REPRESENTATIVE.terminal_states == (REJECTED, WITHDRAWN, LAPSED)
    assert HOLDING == (PROPOSED, APPROVED)


def by(user, proposer="kari"):
    return SimpleNamespace(is_proposer=user == proposer, not_proposer=user != proposer)


def test_the_adviser_approves_someone_elses_proposal_and_registers_her_own():
    assert REPRESENTATIVE.fire("approve", PROPOSED, by("marianne")) == APPROVED
    assert REPRESENTATIVE.fire("register", PROPOSED, by("kari")) == APPROVED
    with pytest.raises(GuardFailed) as info:
        REPRESENTATIVE.fire("approve", PROPOSED, by("kari"))
    assert str(info.value) == "Du kan ikke godkjenne ditt eget forslag."
    with pytest.raises(GuardFailed):
        REPRESENTATIVE.fire("register", PROPOSED, by("marianne"))


@pytest.mark.parametrize("trigger", ["approve", "reject", "withdraw"])
@pytest.mark.parametrize("state", [APPROVED, REJECTED, WITHDRAWN, LAPSED])
def test_only_a_waiting_proposal_is_decided(trigger, state):
    with pytest.raises(IllegalTransition):
        REPRESENTATIVE.fire(trigger, state, by("marianne"))


def test_a_term_in_office_lapses_but_a_decided_proposal_does_not():
    assert REPRESENTATIVE.fire("lapse", APPROVED, by("tick")) == LAPSED
    with pytest.raises(IllegalTransition):
        REPRESENTATIVE.fire("lapse", REJECTED, by("tick"))
