"""The Workflow engine, and the contract every workflow definition must keep."""

import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from transitions import MachineError

from workflows import (
    ADVISER,
    FAMILIES,
    MEMBERSHIP,
    SYSTEM,
    WORKFLOWS,
    GuardFailed,
    IllegalTransition,
    TransitionSpec,
    UnknownState,
    UnknownTrigger,
    Workflow,
    WorkflowError,
)

pytestmark = pytest.mark.filterwarnings("error")

SVG = "{http://www.w3.org/2000/svg}"


def toy(transitions=None, initial="a", families=None):
    """A three-state workflow for testing the engine itself."""
    return Workflow(
        "toy",
        {"a": "Første", "b": "Andre", "c": "Tredje"},
        initial,
        transitions
        or [
            TransitionSpec("go", ("a",), "b", "Gå", frozenset({ADVISER}), conditions=("g1", "g2")),
            TransitionSpec("back", ("b",), "a", "Tilbake", frozenset({ADVISER})),
            TransitionSpec("finish", ("b",), "c", "Fullfør", frozenset({SYSTEM})),
        ],
        {"g1": "Vilkår én er ikke oppfylt.", "g2": "Vilkår to er ikke oppfylt."},
        families or {"a": "invited", "b": "member", "c": "ended"},
    )


def guards(workflow, value=True):
    """A context where every guard of `workflow` has the same value."""
    return SimpleNamespace(**dict.fromkeys(workflow.guard_labels, value))


@dataclass(frozen=True)
class Frozen:
    """A context that cannot be mutated; g1 is a method, g2 an attribute."""

    g2: bool

    def g1(self):
        """Always satisfied."""
        return True


def cases(predicate):
    """(workflow, state, trigger) triples of all workflows for which `predicate(workflow, state, spec)` holds."""
    return [
        pytest.param(w, state, spec.trigger, id=f"{w.name}-{state}-{spec.trigger}")
        for w in WORKFLOWS.values()
        for state in w.states
        for spec in w.specs
        if predicate(w, state, spec)
    ]


WORKFLOW_PARAMS = [pytest.param(w, id=w.name) for w in WORKFLOWS.values()]


# --- the engine ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "transitions, initial, message",
    [
        ([TransitionSpec("x", ("a",), "b", "X", frozenset({ADVISER}))] * 2, "a", "toy: duplicate trigger"),
        ([TransitionSpec("x", ("a",), "nowhere", "X", frozenset({ADVISER}))], "a",
         "toy.x: states {'nowhere'}, guards set(), roles frozenset({'adviser'})"),
        ([TransitionSpec("x", ("a",), "b", "X", frozenset({ADVISER}), conditions=("nope",))], "a",
         "toy.x: states set(), guards {'nope'}, roles frozenset({'adviser'})"),
        ([TransitionSpec("x", ("a",), "b", "X", frozenset({"janitor"}))], "a",
         "toy.x: states set(), guards set(), roles frozenset({'janitor'})"),
        ([TransitionSpec("x", ("a",), "b", "X", frozenset())], "a", "toy.x: states set(), guards set(), roles frozenset()"),
        (None, "nowhere", "toy: unknown initial state 'nowhere'"),
        ([TransitionSpec("x", ("a",), "b", "X", frozenset({ADVISER}), needs_approval=True)], "a",
         "toy.x: a step that needs approval needs a request_label"),
    ],
    ids=["duplicate-trigger", "unknown-state", "unknown-guard", "unknown-role", "no-roles", "bad-initial",
         "approval-unnamed"],
)
def test_invalid_definitions_are_rejected(transitions, initial, message):
    with pytest.raises(ValueError) as info:
        toy(transitions, initial)
    assert str(info.value) == message


@pytest.mark.parametrize("families", [{"a": "invited", "b": "member"}, {"a": "invited", "b": "member", "c": "gone"},
                                      {"a": "invited", "b": "member", "c": "ended", "d": "ended"}],
                         ids=["missing", "unknown-family", "unknown-state"])
def test_every_state_needs_exactly_one_known_family(families):
    with pytest.raises(ValueError, match="every state needs one of the families"):
        toy(families=families)


def test_a_transition_into_an_ending_or_ended_state_is_destructive():
    w = toy([TransitionSpec("go", ("a",), "b", "Gå", frozenset({ADVISER})),
             TransitionSpec("end", ("b",), "c", "Avslutt", frozenset({ADVISER}))])
    assert w.family("a") == "invited" and w.family("c") == "ended"
    assert not w.is_destructive("go") and w.is_destructive("end")
    destructive = {f"{w.name}.{spec.trigger}" for w in WORKFLOWS.values() for spec in w.specs
                   if w.is_destructive(spec.trigger)}
    assert {"membership.withdraw", "membership.decline", "membership.give_notice", "membership.terminate",
            "subgroup.reject", "subgroup.close", "representative.reject", "representative.withdraw"} <= destructive
    assert not {"membership.accept", "membership.activate", "membership.withdraw_notice", "subgroup.approve",
                "subgroup.return_for_changes", "representative.approve", "cost_key.decide"} & destructive


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
def test_every_family_is_one_of_the_four(workflow):
    assert set(workflow.families) == set(workflow.states)
    assert set(workflow.families.values()) <= set(FAMILIES) == {"invited", "member", "ending", "ended"}


def test_queries():
    w = toy()
    assert w.name == "toy"
    assert w.label("b") == "Andre"
    assert w.spec("go").dest == "b"
    assert [s.trigger for s in w.specs_from("b")] == w.triggers_from("b") == ["back", "finish"]
    assert w.terminal_states == ("c",)
    assert w.reachable_states() == {"a", "b", "c"} and w.reachable_states("c") == {"c"}
    # The shared machine knows the defined states and triggers only, no automatic to_<state> ones.
    assert list(w.machine.states) == ["a", "b", "c"]
    assert w.machine.get_triggers("b") == ["back", "finish"]


def test_unknown_trigger_and_state():
    w = toy()
    with pytest.raises(UnknownTrigger) as info:
        w.spec("fly")
    assert isinstance(info.value, KeyError) and isinstance(info.value, WorkflowError)
    assert info.value.args == ("toy: ukjent handling 'fly'",)
    with pytest.raises(UnknownState) as info:
        w.label("z")
    assert info.value.args == ("toy: ukjent tilstand 'z'",)
    with pytest.raises(UnknownTrigger):
        w.fire("fly", "a", Frozen(g2=True))
    for call in (lambda: w.label("z"), lambda: w.specs_from("z"), lambda: w.fire("go", "z", Frozen(g2=True))):
        with pytest.raises(UnknownState):
            call()
    with pytest.raises(UnknownState):
        w.diagram_svg(highlight="z")


def test_fire_accepts_methods_and_attributes_and_never_mutates_context():
    w = toy()
    assert w.fire("go", "a", Frozen(g2=True)) == "b"
    assert w.machine.models == []


def test_illegal_transition_wraps_machine_error():
    with pytest.raises(IllegalTransition) as info:
        toy().fire("finish", "a", Frozen(g2=True))
    assert isinstance(info.value.__cause__, MachineError)
    assert str(info.value) == "«Fullfør» er ikke mulig når status er «Første»."


def test_guard_failed_names_every_false_guard_in_order():
    w = toy()
    with pytest.raises(GuardFailed) as info:
        w.fire("go", "a", SimpleNamespace(g1=lambda: False, g2=False))
    assert info.value.guards == ["g1", "g2"]
    assert str(info.value) == "Vilkår én er ikke oppfylt. Vilkår to er ikke oppfylt."


def test_each_guard_is_evaluated_at_most_once_per_fire():
    calls = []

    def g1():
        calls.append("g1")
        return False

    with pytest.raises(GuardFailed):
        toy().fire("go", "a", SimpleNamespace(g1=g1, g2=True))
    assert calls == ["g1"]


def test_failed_guards():
    w = toy()
    assert w.failed_guards("go", "a", Frozen(g2=False)) == ["g2"]
    assert w.failed_guards("go", "a", Frozen(g2=True)) == []
    with pytest.raises(IllegalTransition):
        w.failed_guards("go", "b", Frozen(g2=True))


# --- the contract for every workflow definition -----------------------------------------------------------------


@pytest.mark.parametrize("workflow, state, trigger", cases(lambda w, state, spec: state in spec.sources))
def test_every_legal_transition_lands_in_its_destination(workflow, state, trigger):
    assert workflow.fire(trigger, state, guards(workflow)) == workflow.spec(trigger).dest


@pytest.mark.parametrize("workflow, state, trigger", cases(lambda w, state, spec: state not in spec.sources))
def test_every_other_pair_is_illegal(workflow, state, trigger):
    with pytest.raises(IllegalTransition):
        workflow.fire(trigger, state, guards(workflow))


GUARDED = [
    pytest.param(w, state, spec.trigger, guard, id=f"{w.name}-{state}-{spec.trigger}-{guard}")
    for w in WORKFLOWS.values()
    for spec in w.specs
    for state in spec.sources
    for guard in spec.conditions
]


@pytest.mark.parametrize("workflow, state, trigger, guard", GUARDED)
def test_a_failing_guard_blocks_the_transition(workflow, state, trigger, guard):
    context = guards(workflow)
    setattr(context, guard, False)
    with pytest.raises(GuardFailed) as info:
        workflow.fire(trigger, state, context)
    assert info.value.guards == [guard]
    assert str(info.value) == workflow.guard_labels[guard]
    assert workflow.failed_guards(trigger, state, context) == [guard]


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
def test_every_state_is_reachable_and_labelled(workflow):
    assert workflow.reachable_states() == set(workflow.states)
    assert all(workflow.label(state).strip() for state in workflow.states)


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
def test_terminal_states_have_no_triggers(workflow):
    assert workflow.terminal_states
    for state in workflow.terminal_states:
        assert workflow.triggers_from(state) == workflow.machine.get_triggers(state) == []


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
def test_triggers_agree_with_the_machine(workflow):
    for state in workflow.states:
        assert workflow.triggers_from(state) == workflow.machine.get_triggers(state)


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
def test_every_trigger_is_labelled_and_described(workflow):
    for spec in workflow.specs:
        assert spec.label.strip() and spec.description.strip().endswith(".")


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
@settings(database=None, max_examples=150, deadline=None)
@given(data=st.data())
def test_random_runs_only_follow_spec_edges(workflow, data):
    triggers = [spec.trigger for spec in workflow.specs]
    state = workflow.initial
    for _ in range(data.draw(st.integers(0, 25))):
        trigger = data.draw(st.sampled_from(triggers))
        outcome = data.draw(st.fixed_dictionaries({g: st.booleans() for g in workflow.guard_labels}))
        spec = workflow.spec(trigger)
        try:
            new = workflow.fire(trigger, state, SimpleNamespace(**outcome))
        except IllegalTransition:
            assert state not in spec.sources
            continue
        except GuardFailed as err:
            assert state in spec.sources
            assert err.guards == [g for g in spec.conditions if not outcome[g]] != []
            continue
        assert state in spec.sources and new == spec.dest and new in workflow.states
        state = new


def test_shared_workflow_is_thread_safe():
    barrier = threading.Barrier(20)
    errors = []

    class Slow:
        """Guards that yield the GIL, so threads interleave inside the machine."""

        def __init__(self, value):
            self.value = value

        def __getattr__(self, guard):
            time.sleep(0)
            return self.value

    def run(state):
        barrier.wait()
        for i in range(100):
            for spec in MEMBERSHIP.specs_from(state):
                ok = not spec.conditions or i % 2 == 0
                try:
                    new = MEMBERSHIP.fire(spec.trigger, state, Slow(ok))
                except GuardFailed:
                    new = None
                if new != (spec.dest if ok else None):
                    errors.append((state, spec.trigger, new))

    states = [list(MEMBERSHIP.states)[i % len(MEMBERSHIP.states)] for i in range(20)]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=run, args=(state,)) for state in states]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old)
    assert errors == []
    assert MEMBERSHIP.machine.models == []


# --- diagrams (need the graphviz `dot` binary; a missing binary is a failure, not a skip) ------------------


def node_fills(svg):
    """Map each node name in a Graphviz SVG to the fill colour of its shape."""
    root = ET.fromstring(svg)
    return {
        g.find(f"{SVG}title").text: next(e for e in g if e.tag in (f"{SVG}path", f"{SVG}polygon")).get("fill")
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "node"
    }


def drawn_texts(svg) -> dict[str, list[tuple[str, float, str]]]:
    """The texts of the nodes and of the edges: (text, font size, font family)."""
    root = ET.fromstring(svg)
    return {kind: [(t.text, float(t.get("font-size")), t.get("font-family"))
                   for g in root.iter(f"{SVG}g") if g.get("class") == kind for t in g.iter(f"{SVG}text")]
            for kind in ("node", "edge")}


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
def test_diagram_shows_bokmal_labels(workflow):
    svg = workflow.diagram_svg()
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    texts = drawn_texts(svg)
    # Each state by its label on one line; each step's label wrapped over lines, on each edge it is drawn on (edges
    # between the same two states share one, joined by " |"): no title, no codes.
    assert sorted(text for text, _, _ in texts["node"]) == sorted(workflow.states.values())
    steps = " ".join(text for text, _, _ in texts["edge"]).replace(" | ", " ").split()
    assert set(steps) == {word for spec in workflow.specs for word in spec.label.split()}
    assert set(node_fills(svg)) == set(workflow.states)
    assert len(set(node_fills(svg).values())) == 1


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
def test_diagram_is_drawn_in_large_sans_serif_letters_and_no_wider_than_needed(workflow):
    texts = drawn_texts(workflow.diagram_svg())
    assert {(size, family) for _, size, family in texts["node"]} == {(24, "Helvetica,Arial,sans-serif")}
    assert {(size, family) for _, size, family in texts["edge"]} == {(18, "Helvetica,Arial,sans-serif")}
    # A step's label wraps after 18 characters (a longer word stays whole).
    assert all(len(text) <= 18 or " " not in text for text, _, _ in texts["edge"] if " | " not in text)
    assert any(len(spec.label) > 18 for spec in workflow.specs)


@pytest.mark.parametrize("workflow", WORKFLOW_PARAMS)
def test_diagram_marks_the_highlighted_state(workflow):
    highlight = list(workflow.states)[1]
    fills = node_fills(workflow.diagram_svg(highlight=highlight))
    marked = fills.pop(highlight)
    assert marked not in fills.values()
    assert len(set(fills.values())) == 1


def test_a_new_workflow_draws_its_own_diagram():
    svg = toy().diagram_svg(highlight="b")
    assert set(node_fills(svg)) == {"a", "b", "c"}
    assert toy().diagram_svg(highlight="b") == svg


def test_workflows_import_no_web_or_database_code():
    code = "import sys, workflows; print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy', 'app'}))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).parents[2], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
