"""Subgroups of the project group: proposal, seconding, decision, establishment and closing."""

from __future__ import annotations

from .base import (ADVISER, CHAIR, ENDED_FAMILY, INVITED_FAMILY, MEMBER_FAMILY, PROJECT_MEMBER, TransitionSpec,
                   Workflow)
from .i18n import N_

DRAFT = "draft"
SUBMITTED = "submitted"
SECONDED = "seconded"
RETURNED = "returned"
APPROVED = "approved"
REJECTED = "rejected"
ESTABLISHED = "established"
CLOSED = "closed"

STATES = {
    DRAFT: N_("Utkast"),
    SUBMITTED: N_("Sendt inn"),
    SECONDED: N_("Støttet"),
    RETURNED: N_("Sendt tilbake"),
    APPROVED: N_("Godkjent"),
    REJECTED: N_("Avslått"),
    ESTABLISHED: N_("Etablert"),
    CLOSED: N_("Avsluttet"),
}

FAMILIES = {
    DRAFT: INVITED_FAMILY, SUBMITTED: INVITED_FAMILY, SECONDED: INVITED_FAMILY, RETURNED: INVITED_FAMILY,
    APPROVED: INVITED_FAMILY,
    ESTABLISHED: MEMBER_FAMILY,
    REJECTED: ENDED_FAMILY, CLOSED: ENDED_FAMILY,
}

GUARD_LABELS = {
    "is_proposer": N_("Bare den som foreslo undergruppen, kan sende inn forslaget."),
    "not_proposer": N_("Du kan ikke støtte, godkjenne, avslå eller sende tilbake ditt eget forslag."),
}

TRANSITIONS = [
    TransitionSpec(
        "submit", (DRAFT, RETURNED), SUBMITTED, N_("Send inn forslaget"), frozenset({PROJECT_MEMBER}),
        conditions=("is_proposer",),
        description=N_("Forslaget om en undergruppe blir sendt inn til prosjektgruppen."),
    ),
    TransitionSpec(
        "second", (SUBMITTED,), SECONDED, N_("Støtt forslaget"), frozenset({PROJECT_MEMBER}),
        conditions=("not_proposer",),
        description=N_("Et annet medlem av prosjektgruppen støtter forslaget, slik at det kan behandles."),
    ),
    TransitionSpec(
        "approve", (SECONDED,), APPROVED, N_("Registrer vedtak: godkjent"), frozenset({ADVISER}),
        conditions=("not_proposer",),
        description=N_("Vedtaket om å godkjenne undergruppen blir registrert."),
    ),
    TransitionSpec(
        "reject", (SUBMITTED, SECONDED), REJECTED, N_("Registrer vedtak: avslått"), frozenset({ADVISER}),
        conditions=("not_proposer",), comment_required=True,
        description=N_("Vedtaket om å avslå forslaget blir registrert, med begrunnelse."),
    ),
    TransitionSpec(
        "return_for_changes", (SUBMITTED, SECONDED), RETURNED, N_("Send tilbake for endringer"), frozenset({ADVISER}),
        conditions=("not_proposer",), comment_required=True,
        description=N_("Forslaget blir sendt tilbake til forslagsstilleren for endringer."),
    ),
    TransitionSpec(
        "establish", (APPROVED,), ESTABLISHED, N_("Etabler undergruppen"), frozenset({ADVISER}),
        description=N_("Undergruppen blir etablert og kan begynne arbeidet."),
    ),
    TransitionSpec(
        "close", (ESTABLISHED,), CLOSED, N_("Avslutt undergruppen"), frozenset({ADVISER, CHAIR}),
        comment_required=True,
        description=N_("Undergruppen avsluttes, og sluttrapporten blir lagret som kommentar."),
    ),
]

SUBGROUP = Workflow("subgroup", STATES, DRAFT, TRANSITIONS, GUARD_LABELS, FAMILIES)
