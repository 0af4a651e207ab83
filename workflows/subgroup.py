"""Subgroups of the project group: proposal, seconding, decision, establishment and closing."""

from __future__ import annotations

from .base import ADVISER, CHAIR, PROJECT_MEMBER, TransitionSpec, Workflow

DRAFT = "draft"
SUBMITTED = "submitted"
SECONDED = "seconded"
RETURNED = "returned"
APPROVED = "approved"
REJECTED = "rejected"
ESTABLISHED = "established"
CLOSED = "closed"

STATES = {
    DRAFT: "Utkast",
    SUBMITTED: "Sendt inn",
    SECONDED: "Støttet",
    RETURNED: "Sendt tilbake",
    APPROVED: "Godkjent",
    REJECTED: "Avslått",
    ESTABLISHED: "Etablert",
    CLOSED: "Avsluttet",
}

GUARD_LABELS = {
    "is_proposer": "Bare den som foreslo undergruppen, kan sende inn forslaget.",
    "not_proposer": "Du kan ikke støtte, godkjenne, avslå eller sende tilbake ditt eget forslag.",
}

TRANSITIONS = [
    TransitionSpec(
        "submit", (DRAFT, RETURNED), SUBMITTED, "Send inn forslaget", frozenset({PROJECT_MEMBER}),
        conditions=("is_proposer",),
        description="Forslaget om en undergruppe blir sendt inn til prosjektgruppen.",
    ),
    TransitionSpec(
        "second", (SUBMITTED,), SECONDED, "Støtt forslaget", frozenset({PROJECT_MEMBER}),
        conditions=("not_proposer",),
        description="Et annet medlem av prosjektgruppen støtter forslaget, slik at det kan behandles.",
    ),
    TransitionSpec(
        "approve", (SECONDED,), APPROVED, "Registrer vedtak: godkjent", frozenset({ADVISER}),
        conditions=("not_proposer",),
        description="Vedtaket om å godkjenne undergruppen blir registrert.",
    ),
    TransitionSpec(
        "reject", (SUBMITTED, SECONDED), REJECTED, "Registrer vedtak: avslått", frozenset({ADVISER}),
        conditions=("not_proposer",), comment_required=True, destructive=True,
        description="Vedtaket om å avslå forslaget blir registrert, med begrunnelse.",
    ),
    TransitionSpec(
        "return_for_changes", (SUBMITTED, SECONDED), RETURNED, "Send tilbake for endringer", frozenset({ADVISER}),
        conditions=("not_proposer",), comment_required=True,
        description="Forslaget blir sendt tilbake til forslagsstilleren for endringer.",
    ),
    TransitionSpec(
        "establish", (APPROVED,), ESTABLISHED, "Etabler undergruppen", frozenset({ADVISER}),
        description="Undergruppen blir etablert og kan begynne arbeidet.",
    ),
    TransitionSpec(
        "close", (ESTABLISHED,), CLOSED, "Avslutt undergruppen", frozenset({ADVISER, CHAIR}),
        comment_required=True, destructive=True,
        description="Undergruppen avsluttes, og sluttrapporten blir lagret som kommentar.",
    ),
]

SUBGROUP = Workflow("subgroup", STATES, DRAFT, TRANSITIONS, GUARD_LABELS)
