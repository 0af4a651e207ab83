"""A small declarative layer over pytransitions: one shared machine per workflow definition."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType, SimpleNamespace
from typing import Any

from transitions import Machine, MachineError, State
from transitions.extensions.diagrams import GraphMachine

from .i18n import N_, translated
from .roles import (ADMIN, ADVISER, CHAIR, MUNICIPALITY_CONTACT, PROJECT_MEMBER, PROPOSER, ROLES,  # noqa: F401
                    SIGNATORY, STEERING_MEMBER, SYSTEM)


# What a state means for the thing it belongs to, shown as the colour of its tag: on the way in (invited, a draft,
# a proposal), in force (a member, an established subgroup, a decided key), ending (in notice) or ended (declined,
# withdrawn, rejected, closed). A transition into "ending" or "ended" is destructive: its button is red.
INVITED_FAMILY = "invited"
MEMBER_FAMILY = "member"
ENDING_FAMILY = "ending"
ENDED_FAMILY = "ended"
FAMILIES = (INVITED_FAMILY, MEMBER_FAMILY, ENDING_FAMILY, ENDED_FAMILY)
DESTRUCTIVE_FAMILIES = frozenset({ENDING_FAMILY, ENDED_FAMILY})


class WorkflowError(Exception):
    """Base class for everything a workflow refuses to do."""


class UnknownTrigger(WorkflowError, KeyError):
    """The trigger is not defined in this workflow."""


class UnknownState(WorkflowError, KeyError):
    """The state is not defined in this workflow."""


class IllegalTransition(WorkflowError):
    """The trigger exists but is not allowed from the current state."""


class GuardFailed(WorkflowError):
    """One or more guard conditions were false; `str()` is the message for the user, in the language of the moment."""

    def __init__(self, guards: list[str], message: str) -> None:
        super().__init__(message)
        self.guards = guards


@dataclass(frozen=True)
class TransitionSpec:
    """One trigger: where it may be fired from, where it leads, who may ask for it and what it needs."""

    trigger: str
    sources: tuple[str, ...]
    dest: str
    label: str
    roles: frozenset[str]
    needs_approval: bool = False
    conditions: tuple[str, ...] = ()
    comment_required: bool = False
    description: str = ""
    # Applied by the app itself as soon as its facts are in place (e.g. the second signature): never offered as a
    # button, and not run by the clock either.
    automatic: bool = False
    # What a request for the step is called while it waits for approval ("Oppsigelse"); every step that needs
    # approval has one.
    request_label: str = ""


class _LabelledState(State):
    """A state carrying a display label, picked up by the diagram markup."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label = label


# Steps' labels wrap after this many characters: the drawing of the membership is half as wide as unwrapped.
_LABEL_WIDTH = 18
_SANS = {"fontname": "Helvetica,Arial,sans-serif"}
_STYLES = GraphMachine.style_attributes


class _DiagramMachine(GraphMachine):
    """GraphMachine whose states accept a `label`, drawn top to bottom to fit a web page, in large sans-serif
    letters (the states larger than the steps between them, whose labels wrap: see Workflow.diagram_svg)."""

    state_cls = _LabelledState
    machine_attributes = {**GraphMachine.machine_attributes, "rankdir": "TB"}
    style_attributes = {
        **_STYLES,
        "node": {**_STYLES["node"],
                 "default": {**_STYLES["node"]["default"], **_SANS, "fontsize": "24", "margin": "0.3,0.15"},
                 "active": {**_STYLES["node"]["active"], "penwidth": "3"}},
        "edge": {**_STYLES["edge"], "default": {**_STYLES["edge"]["default"], **_SANS, "fontsize": "18"}},
    }


def _guard_value(context: object, guard: str) -> bool:
    """Read a guard from the context: a method is called, a plain attribute is used as is."""
    value = getattr(context, guard)
    return bool(value() if callable(value) else value)


class Workflow:
    """A workflow definition with a single, stateless, shared transitions.Machine."""

    def __init__(
        self,
        name: str,
        states: dict[str, str],
        initial: str,
        transitions: list[TransitionSpec],
        guard_labels: dict[str, str],
        families: dict[str, str],
    ) -> None:
        self.name = name
        self.states = MappingProxyType(dict(states))
        self.families = MappingProxyType(dict(families))
        self.initial = initial
        self.guard_labels = MappingProxyType(dict(guard_labels))
        self.specs = tuple(transitions)
        self._specs = {spec.trigger: spec for spec in transitions}
        self._validate(transitions)
        self.terminal_states = tuple(s for s in self.states if not self.specs_from(s))
        self.machine = Machine(
            model=None,
            states=list(self.states),
            initial=initial,
            transitions=[
                {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest, "conditions": list(t.conditions)}
                for t in self.specs
            ],
            auto_transitions=False,
            send_event=False,
            name=name,
        )
        self._svg_cache: dict[tuple[str | None, tuple[str, ...]], bytes] = {}

    def _validate(self, transitions: list[TransitionSpec]) -> None:
        """Reject definitions that refer to unknown states, guards or roles, or repeat a trigger."""
        if len(self._specs) != len(transitions):
            raise ValueError(f"{self.name}: duplicate trigger")
        if self.initial not in self.states:
            raise ValueError(f"{self.name}: unknown initial state {self.initial!r}")
        if self.families.keys() != self.states.keys() or not set(self.families.values()) <= set(FAMILIES):
            raise ValueError(f"{self.name}: every state needs one of the families {FAMILIES}: {dict(self.families)}")
        for spec in transitions:
            unknown_states = {*spec.sources, spec.dest} - self.states.keys()
            unknown_guards = set(spec.conditions) - self.guard_labels.keys()
            unknown_roles = spec.roles - ROLES
            if spec.needs_approval and not spec.request_label:
                raise ValueError(f"{self.name}.{spec.trigger}: a step that needs approval needs a request_label")
            if unknown_states or unknown_guards or unknown_roles or not spec.roles:
                raise ValueError(
                    f"{self.name}.{spec.trigger}: states {unknown_states}, guards {unknown_guards},"
                    f" roles {unknown_roles or spec.roles}"
                )

    def _require_state(self, state: str) -> None:
        """Raise UnknownState unless `state` belongs to this workflow."""
        if state not in self.states:
            raise UnknownState(f"{self.name}: ukjent tilstand {state!r}")

    def label(self, state: str) -> str:
        """The label of a state, translated."""
        self._require_state(state)
        return translated(self.states[state])

    def labels(self) -> dict[str, str]:
        """Every state's label, translated, in the workflow's order."""
        return {state: translated(label) for state, label in self.states.items()}

    def family(self, state: str) -> str:
        """The family of a state (FAMILIES), the colour of its tag."""
        self._require_state(state)
        return self.families[state]

    def is_destructive(self, trigger: str) -> bool:
        """Whether the trigger ends something (leads into an ending or ended state): shown as a danger button."""
        return self.families[self.spec(trigger).dest] in DESTRUCTIVE_FAMILIES

    def spec(self, trigger: str) -> TransitionSpec:
        """The spec of a trigger; UnknownTrigger if there is none."""
        try:
            return self._specs[trigger]
        except KeyError:
            raise UnknownTrigger(f"{self.name}: ukjent handling {trigger!r}") from None

    def specs_from(self, state: str) -> list[TransitionSpec]:
        """Specs that may be fired from `state`, in definition order."""
        self._require_state(state)
        return [spec for spec in self.specs if state in spec.sources]

    def triggers_from(self, state: str) -> list[str]:
        """Trigger names that may be fired from `state`, in definition order."""
        return [spec.trigger for spec in self.specs_from(state)]

    def _illegal(self, spec: TransitionSpec, state: str) -> IllegalTransition:
        """The error for firing `spec` from a state it does not start from."""
        return IllegalTransition(translated(N_("«%(step)s» er ikke mulig når status er «%(state)s».")) % {
            "step": translated(spec.label), "state": self.label(state)})

    def failed_guards(self, trigger: str, state: str, context: object) -> list[str]:
        """Names of the guards of `trigger` that are false on `context` (IllegalTransition if not allowed)."""
        spec = self.spec(trigger)
        self._require_state(state)
        if state not in spec.sources:
            raise self._illegal(spec, state)
        return [guard for guard in spec.conditions if not _guard_value(context, guard)]

    def guard_message(self, guards: Iterable[str]) -> str:
        """The explanation of why the given guards block a transition, translated."""
        return " ".join(translated(self.guard_labels[guard]) for guard in guards)

    def fire(self, trigger: str, state: str, context: object) -> str:
        """Run `trigger` through the shared machine for a case in `state` and return the new state."""
        spec = self.spec(trigger)
        self._require_state(state)
        results: dict[str, bool] = {}

        def check(guard: str) -> bool:
            """Evaluate a guard at most once per call."""
            if guard not in results:
                results[guard] = _guard_value(context, guard)
            return results[guard]

        case = SimpleNamespace(state=state, **{guard: partial(check, guard) for guard in spec.conditions})
        try:
            fired = self.machine.events[trigger].trigger(case)
        except MachineError as err:
            raise self._illegal(spec, state) from err
        if not fired:
            failed = [guard for guard in spec.conditions if not check(guard)]
            raise GuardFailed(failed, self.guard_message(failed))
        return case.state

    def reachable_states(self, start: str | None = None) -> set[str]:
        """States reachable from `start` (by default the initial state), `start` included."""
        start = self.initial if start is None else start
        self._require_state(start)
        seen, todo = {start}, [start]
        while todo:
            for spec in self.specs_from(todo.pop()):
                if spec.dest not in seen:
                    seen.add(spec.dest)
                    todo.append(spec.dest)
        return seen

    def diagram_svg(self, highlight: str | None = None) -> bytes:
        """The state diagram as SVG with translated labels; `highlight` is drawn as the active state."""
        if highlight is not None:
            self._require_state(highlight)
        labels = tuple(translated(text) for text in (*self.states.values(), *(t.label for t in self.specs)))
        key = (highlight, labels)  # one drawing per language
        if key not in self._svg_cache:
            machine = _DiagramMachine(
                model=None,
                states=[{"name": code, "label": label} for code, label in zip(self.states, labels)],
                initial=self.initial,
                transitions=[
                    {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest,
                     "label": "\n".join(textwrap.wrap(label, _LABEL_WIDTH, break_long_words=False))}
                    for t, label in zip(self.specs, labels[len(self.states):])
                ],
                auto_transitions=False,
                graph_engine="graphviz",
                title="",
            )
            graph = machine.graph_cls(machine)
            if highlight is not None:
                graph.set_node_style(highlight, "active")
            self._svg_cache[key] = graph.get_graph().pipe(format="svg")
        return self._svg_cache[key]
