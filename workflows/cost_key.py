"""The cost-sharing key of the shared R&D resource (agreement §11): drafted by the adviser, decided by the steering
group for (at most) three years at a time, or returned for changes."""

from __future__ import annotations

from .base import ADVISER, INVITED_FAMILY, MEMBER_FAMILY, STEERING_MEMBER, TransitionSpec, Workflow
from .i18n import N_

DRAFT = "draft"
SUBMITTED = "submitted"
DECIDED = "decided"

STATES = {
    DRAFT: N_("Utkast"),
    SUBMITTED: N_("Til behandling i styringsgruppen"),
    DECIDED: N_("Vedtatt"),
}

FAMILIES = {DRAFT: INVITED_FAMILY, SUBMITTED: INVITED_FAMILY, DECIDED: MEMBER_FAMILY}

GUARD_LABELS = {
    "not_drafter": N_("Den som utarbeidet utkastet, kan ikke registrere styringsgruppens behandling av det."),
}

TRANSITIONS = [
    TransitionSpec(
        "submit", (DRAFT,), SUBMITTED, N_("Send til styringsgruppen"), frozenset({ADVISER}),
        description=N_("Utkastet blir sendt til styringsgruppen for vedtak. Det kan ikke endres mens det er til "
                    "behandling."),
    ),
    TransitionSpec(
        "return_for_changes", (SUBMITTED,), DRAFT, N_("Send tilbake for endringer"), frozenset({STEERING_MEMBER}),
        conditions=("not_drafter",), comment_required=True,
        description=N_("Styringsgruppen sender utkastet tilbake til FoU-rådgiveren, med hva som må endres."),
    ),
    TransitionSpec(
        "decide", (SUBMITTED,), DECIDED, N_("Registrer vedtaket"), frozenset({STEERING_MEMBER}),
        conditions=("not_drafter",),
        description=N_("Styringsgruppens vedtak blir registrert med dato, møte, sak og vedtakstekst. Etterpå kan "
                    "nøkkelen ikke endres."),
    ),
]

COST_KEY = Workflow("cost_key", STATES, DRAFT, TRANSITIONS, GUARD_LABELS, FAMILIES)
